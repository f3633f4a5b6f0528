from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # EXTENDS account: every matching of a payment with an invoice creates a partial, whether the payment
    # was registered by hand, matched in the bank reconciliation or made online (account_payment's
    # ``payment.transaction._post_process`` creates and reconciles a payment): one hook sees them all.
    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._agency_queue_receipts()
        return partials

    def _agency_queue_receipts(self):
        """Mark the customer payments these partials match with an invoice as having a receipt to send, and
        wake the receipt job up: it sends after this transaction commits, once per payment."""
        payments = self.env["account.move"]
        for partial in self:
            for invoice_line, payment_line in (
                (partial.debit_move_id, partial.credit_move_id),
                (partial.credit_move_id, partial.debit_move_id),
            ):
                if (
                    invoice_line.move_id._agency_is_receipt_invoice()
                    and payment_line.move_id._agency_is_receipt_payment()
                ):
                    payments |= payment_line.move_id
        payments = payments.filtered(lambda move: not move.agency_receipt_state)
        if payments:
            payments.sudo().agency_receipt_state = "to_send"
            self.env.ref("agency_billing_reminders.ir_cron_agency_send_receipts").sudo()._trigger()
