from odoo import fields, models
from odoo.tools import format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_reminder_log_ids = fields.One2many("agency.reminder.log", "move_id", string="Reminder History")

    def _agency_reminder_settled_reason(self):
        """Why an invoice planned for a reminder is no longer reminded: "paid on 2026-11-20", "disputed"."""
        self.ensure_one()
        if self.payment_state in ("paid", "in_payment"):
            dates = self.line_ids.matched_credit_ids.mapped("max_date")
            return self.env._(
                "paid on %s", format_date(self.env, max(dates) if dates else fields.Date.context_today(self))
            )
        if self.payment_state == "reversed":
            return self.env._("reversed by a credit note")
        if self.payment_state == "blocked":
            return self.env._("disputed")
        return self.env._("no longer due")

    def action_agency_reminder_history(self):
        self.ensure_one()
        return self.commercial_partner_id.action_agency_reminder_history() | {"domain": [("move_id", "=", self.id)]}

    def action_agency_send_next_step(self):
        self.ensure_one()
        return self.commercial_partner_id.action_agency_send_next_step()

    def action_agency_reminder_hold_wizard(self):
        self.ensure_one()
        action = self.commercial_partner_id.action_agency_reminder_hold_wizard()
        action["context"] = dict(action["context"], default_move_id=self.id)
        return action
