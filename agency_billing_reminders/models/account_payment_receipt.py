from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    agency_receipt_state = fields.Selection(related="move_id.agency_receipt_state")
    agency_receipt_date = fields.Datetime(related="move_id.agency_receipt_date")

    def action_agency_print_receipt(self):
        """The thank-you receipt of this payment, as the client gets it."""
        self.ensure_one()
        self.check_access("read")  # reachable by RPC: nothing of a record one may not read
        return self.env.ref("agency_billing_reminders.action_report_agency_payment_receipt").report_action(self.move_id)
