from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    agency_portal_own_documents = fields.Boolean(
        string="Contacts See Only Their Documents",
        help="On the portal, each contact of this client sees only the invoices addressed to it "
        "(and its own sub-contacts), not those of the whole company, and no company statement.",
    )

    def _commercial_fields(self):
        return [*super()._commercial_fields(), "agency_portal_own_documents"]

    def write(self, vals):
        res = super().write(vals)
        if "agency_portal_own_documents" in vals:
            # the portal's record rules read the option: drop their cached domains
            self.env.registry.clear_cache()
        return res

    def _agency_portal_ageing(self, date):
        """What the client owes by age at ``date`` (Not due, 1-30 days...), per currency, from the
        open receivable items: one aggregate query whatever the number of invoices."""
        self.ensure_one()
        Statement = self.env["agency.customer.statement"]
        domain = Statement._receivable_domain(self, self.env.company) & Domain("reconciled", "=", False)
        blocks = {}
        for currency, due, residual in self.env["account.move.line"]._read_group(
            domain, ["currency_id", "date_maturity:day"], ["amount_residual_currency:sum"]
        ):
            if currency.is_zero(residual):
                continue
            block = blocks.setdefault(
                currency,
                {"currency": currency, "total": 0.0, **dict.fromkeys(Statement._ageing_labels(), 0.0)},
            )
            bucket = Statement._ageing_bucket((date - (due or date)).days)
            block[bucket] += residual
            block["total"] += residual
        return sorted(blocks.values(), key=lambda block: (block["currency"] != self.env.company.currency_id,))
