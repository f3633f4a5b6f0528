from odoo import fields, models

from .agency_reminder_step import STEP_ACTIONS


class AgencyReminderLog(models.Model):
    """One record per invoice installment and step: what was sent, or held back and why.

    The unique key (installment, step) makes a step happen once, whatever runs at the same time: a second
    run that did not see the first one's record fails to insert its own and sends nothing.
    """

    _name = "agency.reminder.log"
    _description = "Reminder Log"
    _order = "date desc, id desc"
    _rec_name = "step_id"

    line_id = fields.Many2one(
        "account.move.line",
        string="Installment",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The receivable line (installment) reminded.",
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    step_id = fields.Many2one("agency.reminder.step", required=True, readonly=True, ondelete="restrict")
    cadence_id = fields.Many2one(related="step_id.cadence_id", string="Cadence")
    date = fields.Date(required=True, readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    channel = fields.Selection(STEP_ACTIONS, readonly=True)
    amount = fields.Monetary(string="Amount Due", readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection([("sent", "Sent"), ("held", "Held back")], required=True, readonly=True, index=True)
    reason = fields.Char(readonly=True, help="Why the step was held back.")
    note = fields.Char(
        readonly=True,
        help="What the step did not do, and why: no statutory interest without the reference rate of the period.",
    )
    message_id = fields.Many2one("agency.reminder.message", readonly=True, index="btree_not_null")
    mail_id = fields.Many2one(related="message_id.mail_id")
    activity_id = fields.Many2one(related="message_id.activity_id")
    origin = fields.Selection([("cron", "Scheduled run"), ("user", "Staff")], readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)

    _line_step_unique = models.Constraint(
        "UNIQUE(line_id, step_id)", "This reminder step was already handled for this installment."
    )

    def action_open_message(self):
        """The reminder message this step went out in: what the client received."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "agency.reminder.message",
            "res_id": self.message_id.id,
            "view_mode": "form",
        }
