from odoo import api, models
from odoo.exceptions import ValidationError


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _create_payment(self, **extra_create_values):
        # EXTENDS account_payment: a selection paid in full in time gets the early-payment discount of
        # each of its invoices (Odoo applies it only when one invoice is paid alone).
        if len(self.invoice_ids) > 1 and "write_off_line_vals" not in extra_create_values:
            write_offs = self._agency_epd_write_offs()
            if write_offs:
                extra_create_values["write_off_line_vals"] = write_offs
        return super()._create_payment(**extra_create_values)

    def _agency_epd_write_offs(self):
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda inv: inv.state == "posted")
        if self.currency_id.compare_amounts(self.amount, sum(inv._agency_amount_due_now() for inv in invoices)):
            return []
        Move = self.env["account.move"]
        write_offs = []
        for invoice in invoices:
            values = invoice._get_invoice_next_payment_values()
            if values.get("installment_state") != "epd":
                continue
            line = values["epd_line"]
            counterparts = Move._get_invoice_counterpart_amls_for_early_payment_discount(
                [{"aml": line, "amount_currency": -line.amount_residual_currency, "balance": -line.balance}],
                values["epd_discount_amount"],
            )
            for vals_list in counterparts.values():
                for vals in vals_list:
                    write_offs.append({**vals, "partner_id": invoice.partner_id.id})
        return write_offs

    @api.constrains("provider_id", "invoice_ids")
    def _agency_check_invoice_company(self):
        """An invoice is paid online only through a provider of its own company (or of a parent company,
        as Odoo offers to branches): money taken in another company would register no payment."""
        for tx in self:
            companies = tx.invoice_ids.company_id
            if any(tx.provider_id.company_id not in company.parent_ids for company in companies):
                raise ValidationError(
                    self.env._("An invoice can only be paid with a payment provider of the invoice's company.")
                )
