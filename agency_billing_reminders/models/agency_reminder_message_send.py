import base64
import logging

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class AgencyReminderMessage(models.Model):
    _inherit = "agency.reminder.message"

    @api.model
    def _agency_send(self, clients, date, origin):
        """Make one message per client and company of ``clients`` (``{"partner", "company", "send":
        entries}``, an entry being an installment of that company that reached a step) and do what their
        steps say: a mail, a letter to print, an activity, the collections hand-off, late fees. Returns the
        messages."""
        Step = self.env["agency.reminder.step"]
        Move = self.env["account.move"]
        values, jobs = [], []
        for client in clients:
            entries = client["send"]
            steps = Step.union(*(entry["step"] for entry in entries))
            moves = Move.union(*(entry["line"].move_id for entry in entries))
            channels = steps._agency_channels()
            partner = client["partner"]
            values.append(
                {
                    "partner_id": partner.id,
                    "company_id": client["company"].id,  # the plan never mixes companies
                    "date": date,
                    "step_id": steps.sorted("days")[-1].id,
                    "channels": ",".join(channels),
                    "recipient_ids": [(6, 0, partner._agency_reminder_recipients(moves).ids)],
                    "origin": origin,
                    "user_id": self.env.uid,
                }
            )
            jobs.append((entries, steps, channels))
        messages = self.sudo().create(values)
        by_channel, fees = {}, {}
        for message, (entries, steps, channels) in zip(messages, jobs, strict=True):
            for entry in entries:
                entry["message"] = message
                if entry["step"].charge_late_fee:
                    fees[entry["step"]] = fees.get(entry["step"], Move) | entry["line"].move_id
            for channel in channels:
                channel_steps = steps.filtered(lambda step, channel=channel: channel in step._agency_channels())
                by_channel.setdefault(channel, []).append((message, channel_steps))
        self.env["res.partner"]._agency_reminder_log(
            [entry for entries, _steps, _channels in jobs for entry in entries], date, "sent", origin
        )
        for channel, channel_jobs in by_channel.items():
            getattr(self, f"_agency_channel_{channel}")(channel_jobs)
        Log = self.env["agency.reminder.log"].sudo()
        for step, moves in fees.items():
            moves._agency_charge_late_fees(step, date)
            for move, note in moves._agency_late_fee_notes(step, date).items():
                Log.search([("message_id", "in", messages.ids), ("move_id", "=", move.id)]).note = note
        return messages

    # ------------------------------------------------------------------
    # CHANNELS: one method per channel of a step (see ACTION_CHANNELS), for a batch of
    # ``[(message, steps)]``
    # ------------------------------------------------------------------

    @api.model
    def _agency_channel_mail(self, jobs):
        """One mail per message through Odoo's mail queue (sent after the commit), in the client's language,
        with the attachments the steps ask for; the mails of a template are rendered together."""
        default = self.env.ref("agency_billing_reminders.mail_template_reminder")
        by_template = {}
        for message, steps in jobs:
            template = steps.sorted("days")[-1].mail_template_id or default
            by_template.setdefault(template, []).append((message, steps))
        for template, template_jobs in by_template.items():
            messages = self.browse([message.id for message, _steps in template_jobs])
            mails = template.sudo().send_mail_batch(messages.ids, force_send=False)
            mail_of = {mail.res_id: mail for mail in mails}
            for message, steps in template_jobs:
                mail = mail_of[message.id]
                message.mail_id = mail
                attachments = self.env["ir.attachment"]
                if any(steps.mapped("attach_invoices")):
                    attachments |= message._agency_invoice_attachments()
                if any(steps.mapped("attach_statement")):
                    attachments |= message._agency_statement_attachment()
                if attachments:
                    mail.attachment_ids = [(4, attachment.id) for attachment in attachments]

    @api.model
    def _agency_channel_letter(self, jobs):
        """A letter to print and post: a to-do for the client's salesperson, the letter on the message."""
        self._agency_schedule_activities(
            "mail.mail_activity_data_todo", jobs, self.env._("Print and post the reminder letter (%s)")
        )

    @api.model
    def _agency_channel_call(self, jobs):
        """A phone call: an activity for the step's caller, else the client's salesperson."""
        self._agency_schedule_activities(
            "mail.mail_activity_data_call", jobs, self.env._("Call about the overdue invoices (%s)")
        )

    @api.model
    def _agency_channel_collections(self, jobs):
        """Handed over to collections: no further automatic step for these clients."""
        for message, _steps in jobs:
            message.partner_id.sudo().agency_reminder_collections = True
            message.partner_id.message_post(
                body=self.env._("Handed over to collections: automatic reminders stop."), subtype_xmlid="mail.mt_note"
            )

    @api.model
    def _agency_schedule_activities(self, activity_xmlid, jobs, summary):
        """One activity per message on its client, for the step's user, else the client's salesperson, made
        together and without one email each (the assignees see them in their activities)."""
        activity_type = self.env.ref(activity_xmlid)
        model_id = self.env["ir.model"]._get_id("res.partner")
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user
        values = []
        for message, steps in jobs:
            step = steps.sorted("days")[-1]
            user = step.activity_user_id or message.partner_id.user_id or fallback
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": message.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary % step.name,
                    "note": message.lines_html,
                    "user_id": user.id,
                    "date_deadline": message.date,
                }
            )
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(values)
        for (message, _steps), activity in zip(jobs, activities, strict=True):
            message.activity_id = activity

    # ------------------------------------------------------------------
    # ATTACHMENTS
    # ------------------------------------------------------------------

    def _agency_invoice_attachments(self):
        """The invoices of the message: the PDF each was sent with, and the others printed together (one by
        one where wkhtmltopdf cannot print several documents at once)."""
        moves = self.log_ids.move_id
        attachments = moves.invoice_pdf_report_id
        missing = moves.filtered(lambda move: not move.invoice_pdf_report_id)
        Report = self.env["ir.actions.report"].sudo()
        if len(missing) > 1:
            try:
                pdf, _kind = Report._render_qweb_pdf("account.account_invoices", missing.ids)
                return attachments | self._agency_attachment(self.env._("Invoices.pdf"), pdf)
            except UserError:
                _logger.info("Reminders: invoices printed one by one")
        for move in missing:
            pdf, _kind = Report._render_qweb_pdf("account.account_invoices", move.ids)
            attachments |= self._agency_attachment(f"{move._get_report_base_filename()}.pdf", pdf)
        return attachments

    def _agency_statement_attachment(self):
        partner = self.partner_id.with_context(lang=self.partner_id.lang)
        pdf = partner.sudo()._agency_statement_pdf(company=self.company_id)
        return self._agency_attachment(self.env._("Statement - %s.pdf", partner.name), pdf)

    def _agency_attachment(self, name, content):
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )
