from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _agency_paid_by_date(self):
        """``{date: amount}`` that payments and credit notes took off this receivable line (an installment),
        in its currency."""
        paid = {}
        for partial in self.matched_credit_ids:
            paid[partial.max_date] = paid.get(partial.max_date, 0.0) + partial.debit_amount_currency
        return paid
