from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_amount


class AgencyReminderSendWizard(models.TransientModel):
    """*Send reminders*: what the run of a day would send, client by client, and why anything is held back."""

    _name = "agency.reminder.send.wizard"
    _description = "Send Reminders"

    date = fields.Date(required=True, default=fields.Date.context_today)
    partner_ids = fields.Many2many("res.partner", string="Clients", help="Empty: every client.")
    preview_html = fields.Html(string="Preview", compute="_compute_preview_html", sanitize=False)
    to_send_count = fields.Integer(compute="_compute_preview_html")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            values["partner_ids"] = [(6, 0, self.env.context["active_ids"])]
        return values

    def _agency_plan(self):
        partners = self.partner_ids.commercial_partner_id or None
        return self.env["res.partner"]._agency_reminder_plan(self.date, partners=partners)

    @api.depends("date", "partner_ids")
    def _compute_preview_html(self):
        for wizard in self:
            plan = wizard._agency_plan() if wizard.date else {}
            wizard.to_send_count = sum(1 for client in plan.values() if client["send"])
            wizard.preview_html = wizard._agency_preview_html(plan)

    def _agency_preview_html(self, plan):
        if not plan:
            return Markup("<p>%s</p>") % self.env._("Nothing to remind on this day.")
        rows = Markup()
        for client in sorted(plan.values(), key=lambda client: client["partner"].name or ""):
            for entry in client["send"] + client["held"]:
                line = entry["line"]
                status = self.env._("held back: %s", entry["reason"]) if entry["reason"] else self.env._("to send")
                rows += Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td><td>%s</td></tr>") % (
                    client["partner"].name,
                    line.move_id.name,
                    entry["step"].name,
                    format_amount(self.env, entry["amount"], line.currency_id),
                    status,
                )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th class='text-end'>%s</th><th>%s</th></tr>") % (
            self.env._("Client"),
            self.env._("Invoice"),
            self.env._("Step"),
            self.env._("Amount due"),
            self.env._("Status"),
        )
        return Markup(
            "<table class='table table-sm o_agency_reminder_preview'><thead>%s</thead><tbody>%s</tbody></table>"
        ) % (
            head,
            rows,
        )

    def action_send(self):
        """Send the reminders of the day; each client is checked again at send time."""
        self.ensure_one()
        plan = self._agency_plan()
        sent = (
            self.env["res.partner"]
            .browse({key[0] for key in plan})
            ._agency_send_reminders_batch(self.date, origin="user", planned=plan)
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s reminder(s) sent.", len(sent)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
