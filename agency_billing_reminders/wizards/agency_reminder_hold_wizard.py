from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AgencyReminderHoldWizard(models.TransientModel):
    """Staff's *Pause until*, *Promise to pay* and *Dispute* on a client or an invoice."""

    _name = "agency.reminder.hold.wizard"
    _description = "Hold Reminders"

    kind = fields.Selection(
        [("pause", "Pause until"), ("promise", "Promise to pay"), ("dispute", "Dispute")],
        required=True,
        default="pause",
    )
    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
        help="Empty: the whole client.",
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    date = fields.Date(string="Until")
    amount = fields.Monetary(currency_field="currency_id", help="Part of the invoice promised (empty: all of it).")
    reason = fields.Text()

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind == "dispute" and not self.move_id:
            self.reason = False

    def action_confirm(self):
        self.ensure_one()
        hold = getattr(self, f"_agency_hold_{self.kind}")()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Reminders on hold: %s.", hold._agency_describe()),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _agency_hold_pause(self):
        if self.move_id:
            return self.move_id._agency_pause_reminders(self.date, self.reason)
        return self.partner_id._agency_pause_reminders(self.date, self.reason)

    def _agency_hold_promise(self):
        if not self.move_id:
            raise ValidationError(self.env._("Please choose the invoice the client promises to pay."))
        return self.move_id._agency_promise_to_pay(self.date, amount=self.amount or None, note=self.reason)

    def _agency_hold_dispute(self):
        if not self.move_id:
            raise ValidationError(self.env._("Please choose the invoice the client disputes."))
        return self.move_id._agency_dispute(self.reason)
