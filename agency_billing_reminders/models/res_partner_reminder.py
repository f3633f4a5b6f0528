from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class ResPartner(models.Model):
    _inherit = "res.partner"

    agency_reminder_cadence_id = fields.Many2one(
        "agency.reminder.cadence",
        string="Reminder Cadence",
        tracking=True,
        help="This client's own reminder cadence. Empty: the cadence of its client profile.",
    )
    agency_reminder_collections = fields.Boolean(
        string="Handed to Collections",
        tracking=True,
        help="Handed over to collections: no further automatic reminder step.",
    )
    agency_reminder_hold_ids = fields.One2many("agency.reminder.hold", "partner_id", string="Reminder Holds")
    agency_reminder_log_ids = fields.One2many("agency.reminder.log", "partner_id", string="Reminder History")
    agency_reminder_log_count = fields.Integer(compute="_compute_agency_reminder_log_count", string="Reminders")

    def _compute_agency_reminder_log_count(self):
        counts = dict(
            self.env["agency.reminder.log"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.agency_reminder_log_count = counts.get(partner.commercial_partner_id, 0)

    @api.model
    def _agency_billing_profile_fields(self):
        return [*super()._agency_billing_profile_fields(), "agency_reminder_cadence_id", "agency_reminder_collections"]

    # ------------------------------------------------------------------
    # PUBLIC API
    # ------------------------------------------------------------------

    def _agency_pause_reminders(self, date_until, reason, origin="staff"):
        """No reminder to this client (its commercial entity) until ``date_until``."""
        self.ensure_one()
        Hold = self.env["agency.reminder.hold"]
        date_until = Hold._agency_check_future_date(date_until, self.env._("pause"))
        reason = Hold._agency_check_reason(reason)
        partner = self.commercial_partner_id
        message = self.env._(
            "Reminders paused until %(date)s: %(reason)s", date=format_date(self.env, date_until), reason=reason
        )
        return Hold._agency_create_hold(partner, "pause", {"date_until": date_until, "reason": reason}, message, origin)

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_agency_reminder_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("agency_billing_reminders.action_agency_reminder_log")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def action_agency_send_next_step(self):
        """Send this client's next reminder step now, whatever the date of the step (held reasons still apply)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        # Late Clients' row: that company only; the client's form: every company selected
        companies = self.env["res.company"].browse(self.env.context.get("agency_reminder_company_id")) or None
        today = fields.Date.context_today(self)
        message = partner._agency_send_reminders(today, forced=True, origin="user", companies=companies)
        if not message:
            reasons = partner._agency_reminder_hold_reasons(today, forced=True, companies=companies)
            raise ValidationError(
                reasons or self.env._("Nothing to remind: %s has no open invoice to chase.", partner.name)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Reminder sent to %s.", partner.name),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_agency_reminder_hold_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing_reminders.action_agency_reminder_hold_wizard"
        )
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_kind": self.env.context.get("agency_hold_kind", "pause"),
        }
        return action
