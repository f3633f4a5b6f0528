from odoo import api, fields, models

STEP_ACTIONS = [
    ("email", "Email"),
    ("letter", "Printable letter"),
    ("phone", "Phone call"),
    ("notice", "Formal notice"),
    ("collections", "Collections hand-off"),
]

# what each action does: a mail, a letter to print, an activity for staff, the collections flag
ACTION_CHANNELS = {
    "email": ("mail",),
    "letter": ("letter",),
    "phone": ("call",),
    "notice": ("mail", "letter"),
    "collections": ("call", "collections"),
}


def channel_labels(env):
    """What each channel of ``ACTION_CHANNELS`` is called, in the language of ``env``."""
    return {
        "mail": env._("Email"),
        "letter": env._("Printed letter"),
        "call": env._("Phone call"),
        "collections": env._("Collections hand-off"),
    }


class AgencyReminderStep(models.Model):
    _name = "agency.reminder.step"
    _description = "Reminder Step"
    _order = "cadence_id, sequence, days, id"

    cadence_id = fields.Many2one("agency.reminder.cadence", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        string="Days From Due Date",
        required=True,
        help="When this step is reached: days after the due date (negative: before it).",
    )
    action = fields.Selection(STEP_ACTIONS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "agency.reminder.message")],
        help="The message sent to the client (emails and formal notices).",
    )
    activity_user_id = fields.Many2one(
        "res.users",
        string="Call By",
        domain=[("share", "=", False)],
        help="Who gets the phone-call activity. Empty: the client's salesperson.",
    )
    attach_invoices = fields.Boolean(help="Attach the PDF of each invoice reminded.")
    attach_statement = fields.Boolean(help="Attach the client's customer statement.")
    charge_late_fee = fields.Boolean(help="Invoices reaching this step are charged the late fee of the cadence.")

    _days_unique = models.Constraint("UNIQUE(cadence_id, days)", "Two steps of a cadence cannot fall on the same day.")

    @api.constrains("sequence", "days")
    def _check_order_in_cadence(self):
        self.cadence_id._check_steps_in_order()

    def _agency_channels(self):
        """The channels of these steps (mail, letter, call, collections), in a stable order."""
        channels = {channel for step in self for channel in ACTION_CHANNELS[step.action]}
        return [channel for channel in ("mail", "letter", "call", "collections") if channel in channels]
