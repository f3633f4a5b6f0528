from odoo import api, fields, models

# countries whose own structured reference an agency invoice carries when that localization is there
COUNTRY_REFERENCE_MODELS = {"NO": "no", "BE": "be"}


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_bank_match_info = fields.Text(
        string="Bank Matching",
        compute="_compute_agency_bank_match_info",
        help="The bank transfers matched automatically with this invoice, and how.",
    )

    @api.depends("payment_state")
    def _compute_agency_bank_match_info(self):
        Line = self.env["account.bank.statement.line"]
        lines = (
            Line.search_fetch(
                [("agency_match_move_ids", "in", self.ids), ("agency_match_state", "=", "auto")],
                ["date", "amount", "currency_id", "agency_match_kind", "agency_match_move_ids", "statement_id"],
            )
            if self.ids
            else Line
        )
        kinds = dict(Line._fields["agency_match_kind"]._description_selection(self.env))
        for move in self:
            move.agency_bank_match_info = (
                "\n".join(
                    self.env._(
                        "Bank transfer of %(amount)s on %(date)s (%(statement)s): matched automatically by %(kind)s.",
                        amount=line.currency_id.format(line.amount),
                        date=line.date,
                        statement=line.statement_id.name or "-",
                        kind=kinds.get(line.agency_match_kind, "").lower(),
                    )
                    for line in lines
                    if move in line.agency_match_move_ids
                )
                or False
            )

    def _agency_reference_model(self):
        """The structured reference this invoice carries: the journal's (the RF creditor reference by
        default on agency journals), or for a Norwegian or Belgian client its country's own when the
        localization that defines it is installed and the journal uses a structured reference."""
        self.ensure_one()
        model = self.journal_id.invoice_reference_model
        if model not in ("euro", "no", "be"):
            return model
        country = self.commercial_partner_id.country_id.code
        wanted = COUNTRY_REFERENCE_MODELS.get(country)
        available = dict(self.journal_id._fields["invoice_reference_model"]._description_selection(self.env))
        return wanted if wanted in available else model

    def _get_invoice_computed_reference(self):
        self.ensure_one()
        model = self._agency_reference_model()
        if self.move_type == "out_invoice" and model != self.journal_id.invoice_reference_model:
            method = getattr(self, f"_get_invoice_reference_{model}_{self.journal_id.invoice_reference_type}", None)
            if method:
                return method()
        return super()._get_invoice_computed_reference()
