from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_amount, format_date

from .agency_reminder_step import channel_labels


class AgencyReminderMessage(models.Model):
    """One reminder to one client on one run: every invoice that reached a step, with what is still due.

    The mail (through Odoo's mail queue), the printable letter and the staff activities are made from it.
    """

    _name = "agency.reminder.message"
    _description = "Reminder Message"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    step_id = fields.Many2one("agency.reminder.step", readonly=True, help="The most advanced step.")
    log_ids = fields.One2many("agency.reminder.log", "message_id", string="Invoices")
    channels = fields.Char(readonly=True, help="What was done: mail, letter, call, collections.")
    channels_label = fields.Char(string="Channels", compute="_compute_channels_label", help="What was done.")
    recipient_ids = fields.Many2many("res.partner", string="Recipients", readonly=True)
    recipients_csv = fields.Char(compute="_compute_recipients_csv")
    lines_html = fields.Html(
        string="Invoices Due", compute="_compute_lines_html", sanitize=False, help="The table of the message."
    )
    mail_id = fields.Many2one("mail.mail", readonly=True, index="btree_not_null")
    mail_subject = fields.Char(related="mail_id.subject", string="Subject")
    mail_body = fields.Html(related="mail_id.body", string="Message Sent")
    activity_id = fields.Many2one("mail.activity", readonly=True)
    origin = fields.Selection([("cron", "Scheduled run"), ("user", "Staff")], readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)

    @api.depends("partner_id", "date")
    @api.depends_context("lang")
    def _compute_name(self):
        for message in self:
            message.name = self.env._(
                "Reminder to %(client)s, %(date)s",
                client=message.partner_id.name,
                date=format_date(self.env, message.date),
            )

    @api.depends("channels")
    @api.depends_context("lang")
    def _compute_channels_label(self):
        labels = channel_labels(self.env)
        for message in self:
            codes = (message.channels or "").split(",")
            message.channels_label = ", ".join(labels.get(code, code) for code in codes if code)

    @api.depends("recipient_ids")
    def _compute_recipients_csv(self):
        for message in self:
            message.recipients_csv = ",".join(str(pid) for pid in message.recipient_ids.ids)

    @api.depends("log_ids", "partner_id.lang")
    def _compute_lines_html(self):
        for message in self:
            message.lines_html = message._agency_lines_html()

    # ------------------------------------------------------------------
    # For the mail templates and the letter
    # ------------------------------------------------------------------

    def _agency_lines(self):
        """The lines of the message: invoice, due date, amount still due, in the client's language."""
        self.ensure_one()
        return self.log_ids.sorted(lambda log: (log.date_maturity or log.date, log.move_id.name or "", log.id))

    def _agency_totals(self):
        """What is due in total, per currency: ``[(currency, amount)]``."""
        self.ensure_one()
        totals = {}
        for log in self.log_ids:
            totals[log.currency_id] = totals.get(log.currency_id, 0.0) + log.amount
        return list(totals.items())

    def _agency_lines_html(self):
        """The invoices of the message as a table, in the client's language: number, due date, amount still
        due (each installment of an invoice paid in several on its own line), and the total."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        rows = Markup()
        for log in self._agency_lines():
            label = log.move_id.name
            if len(log.move_id.line_ids.filtered(lambda line: line.display_type == "payment_term")) > 1:
                label = env._("%s (installment)", label)
            rows += Markup(
                "<tr><td style='padding:4px 8px'>%s</td><td style='padding:4px 8px'>%s</td>"
                "<td style='padding:4px 8px;text-align:right'>%s</td></tr>"
            ) % (
                label,
                format_date(env, log.date_maturity, lang_code=lang),
                format_amount(env, log.amount, log.currency_id, lang),
            )
        for currency, amount in self._agency_totals():
            rows += Markup(
                "<tr><td colspan='2' style='padding:4px 8px'><strong>%s</strong></td>"
                "<td style='padding:4px 8px;text-align:right'><strong>%s</strong></td></tr>"
            ) % (env._("Total due"), format_amount(env, amount, currency, lang))
        head = Markup(
            "<tr><th style='padding:4px 8px;text-align:left'>%s</th><th style='padding:4px 8px;text-align:left'>%s</th>"
            "<th style='padding:4px 8px;text-align:right'>%s</th></tr>"
        ) % (env._("Invoice"), env._("Due date"), env._("Amount due"))
        return Markup("<table style='border-collapse:collapse'>%s%s</table>") % (head, rows)

    def action_print_letter(self):
        return self.env.ref("agency_billing_reminders.action_report_reminder_letter").report_action(self)
