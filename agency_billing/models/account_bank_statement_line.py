from odoo import api, fields, models
from odoo.fields import Domain

MATCH_STATES = [
    ("auto", "Matched automatically"),
    ("suggested", "Waiting: suggestions"),
    ("none", "Waiting: no suggestion"),
]
MATCH_KINDS = [
    ("reference", "Structured reference"),
    ("number", "Invoice number in the text"),
    ("payer", "Payer and amount"),
]


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    agency_match_state = fields.Selection(
        MATCH_STATES, string="Automatic Matching", readonly=True, copy=False, index="btree_not_null"
    )
    agency_match_kind = fields.Selection(MATCH_KINDS, string="Matched By", readonly=True, copy=False)
    agency_match_note = fields.Text(
        string="Matching Notes",
        readonly=True,
        copy=False,
        help="How the transfer was matched, or why not and what is suggested.",
    )
    agency_match_move_ids = fields.Many2many(
        "account.move",
        "agency_statement_line_match_move_rel",
        "statement_line_id",
        "move_id",
        string="Matched or Suggested Invoices",
        readonly=True,
        copy=False,
    )
    agency_payer_partner_id = fields.Many2one(
        "res.partner",
        string="Known Payer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The client this transfer certainly comes from (its IBAN or its exact name).",
    )

    def action_agency_match(self):
        """Staff: run the automatic matching again on these lines (those already decided are re-decided)."""
        lines = self.filtered(lambda line: not line.is_reconciled)
        lines.write({"agency_match_state": False})
        self.env["agency.bank.matcher"]._agency_match(lines)
        return True

    @api.model
    def _agency_incoming_transfers_domain(self, partners, date, days):
        """Transfers received from ``partners`` in the ``days`` before ``date`` and not matched yet."""
        return Domain(
            [
                ("agency_payer_partner_id", "in", partners.commercial_partner_id.ids),
                ("is_reconciled", "=", False),
                ("amount", ">", 0),
                ("date", ">=", fields.Date.subtract(date, days=days)),
                ("date", "<=", date),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
