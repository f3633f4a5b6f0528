from odoo import api, fields, models
from odoo.fields import Domain

UNPAID_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # BUSINESS: what "open" and "overdue" mean, defined once
    # ------------------------------------------------------------------

    @api.model
    def _agency_open_domain(self):
        """Posted customer invoices and credit notes not fully paid yet.

        "In payment" (a payment registered but not yet matched with the bank) counts as paid:
        nobody is chased for money already sent.
        """
        return Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                ("payment_state", "in", UNPAID_PAYMENT_STATES),
            ]
        )

    @api.model
    def _agency_overdue_domain(self, date=None):
        """Open customer invoices whose due date is before ``date`` (default: today)."""
        date = date or fields.Date.context_today(self)
        return (
            self._agency_open_domain()
            & Domain("move_type", "in", ("out_invoice", "out_receipt"))
            & Domain("invoice_date_due", "<", date)
        )
