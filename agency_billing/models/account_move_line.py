from odoo import api, fields, models
from odoo.fields import Domain


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _agency_due_lines_domain(self, date=None):
        """The receivable lines (one per installment) of invoices to remind that are due before
        ``date`` and not fully paid yet: each installment of a multi-line payment term falls due on
        its own date (``date_maturity``) for its own residual (``amount_residual``).

        Without ``date``, every unpaid installment of an invoice to remind, due or not.
        """
        Move = self.env["account.move"]
        domain = Domain(
            [
                ("display_type", "=", "payment_term"),
                ("reconciled", "=", False),
                ("move_id", "any", Move._agency_to_remind_domain()),
            ]
        )
        if date:
            domain &= Domain("date_maturity", "<", fields.Date.to_date(date))
        return domain
