from odoo import fields, models


class AgencyReminderCadence(models.Model):
    _inherit = "agency.reminder.cadence"

    late_fee_policy_id = fields.Many2one(
        "agency.late.fee.policy",
        ondelete="restrict",
        help="Charged on the invoices that reach a step marked “Charge Late Fee”.",
    )
    send_receipts = fields.Boolean(
        string="Send Payment Receipts",
        default=True,
        help="Thank the clients of this cadence for each payment with a receipt: what was received, what it "
        "paid and what is still open.",
    )
