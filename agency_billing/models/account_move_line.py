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
        return self._agency_unpaid_installments_domain(date) & Domain("move_id", "any", Move._agency_to_remind_domain())

    @api.model
    def _agency_unpaid_installments_domain(self, date=None):
        """Installments (receivable lines of the payment terms) not fully paid, due before ``date`` when
        given: the line half of ``_agency_due_lines_domain`` (``account.move._agency_overdue_domain``
        applies it to invoices)."""
        domain = Domain([("display_type", "=", "payment_term"), ("reconciled", "=", False)])
        if date:
            domain &= Domain("date_maturity", "<", fields.Date.to_date(date))
        return domain

    def _agency_residual_on(self, date=None):
        """What was still due on this installment on ``date`` (default: now), in its currency: the
        payments and credit notes matched after ``date`` do not count."""
        self.ensure_one()
        if not date:
            return self.amount_residual_currency
        date = fields.Date.to_date(date)
        residual = self.amount_currency
        for partial in self.matched_credit_ids.filtered(lambda partial: partial.max_date <= date):
            residual -= partial.debit_amount_currency
        for partial in self.matched_debit_ids.filtered(lambda partial: partial.max_date <= date):
            residual += partial.credit_amount_currency
        return residual
