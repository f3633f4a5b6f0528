import base64

from odoo import api, models


class AgencyReminderMessage(models.Model):
    _inherit = "agency.reminder.message"

    @api.model
    def _agency_send(self, partner, entries, date, origin):
        """Make the message of ``entries`` (installments that reached a step) for ``partner`` and do what
        their steps say: one mail, a letter to print, an activity, the collections hand-off, late fees."""
        Step = self.env["agency.reminder.step"]
        steps = Step.union(*(entry["step"] for entry in entries))
        moves = self.env["account.move"].union(*(entry["line"].move_id for entry in entries))
        channels = steps._agency_channels()
        message = self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": moves[0].company_id.id,
                "date": date,
                "step_id": steps.sorted("days")[-1].id,
                "channels": ",".join(channels),
                "recipient_ids": [(6, 0, partner._agency_reminder_recipients(moves).ids)],
                "origin": origin,
                "user_id": self.env.uid,
            }
        )
        partner._agency_reminder_log(entries, date, "sent", origin, message=message)
        for channel in channels:
            getattr(message, f"_agency_channel_{channel}")(
                steps.filtered(lambda step, c=channel: c in step._agency_channels())
            )
        for step in steps.filtered("charge_late_fee"):
            step_moves = moves.filtered(
                lambda move, step=step: any(e["step"] == step and e["line"].move_id == move for e in entries)
            )
            step_moves._agency_charge_late_fees(step, date)
        return message

    # ------------------------------------------------------------------
    # CHANNELS: one method per channel of a step (see ACTION_CHANNELS)
    # ------------------------------------------------------------------

    def _agency_channel_mail(self, steps):
        """One mail through Odoo's mail queue (sent after the commit), in the client's language, with the
        attachments the steps ask for."""
        step = steps.sorted("days")[-1]
        template = step.mail_template_id or self.env.ref("agency_billing_reminders.mail_template_reminder")
        mail = self.env["mail.mail"].sudo().browse(template.sudo().send_mail(self.id, force_send=False))
        attachments = self.env["ir.attachment"]
        if any(steps.mapped("attach_invoices")):
            attachments |= self._agency_invoice_attachments()
        if any(steps.mapped("attach_statement")):
            attachments |= self._agency_statement_attachment()
        if attachments:
            mail.attachment_ids = [(4, attachment.id) for attachment in attachments]
        self.mail_id = mail

    def _agency_channel_letter(self, steps):
        """A letter to print and post: a to-do for the client's salesperson, the letter on the message."""
        self._agency_schedule_activity(
            "mail.mail_activity_data_todo",
            steps,
            self.env._("Print and post the reminder letter (%s)", steps.sorted("days")[-1].name),
        )

    def _agency_channel_call(self, steps):
        """A phone call: an activity for the step's caller, else the client's salesperson."""
        self._agency_schedule_activity(
            "mail.mail_activity_data_call",
            steps,
            self.env._("Call about the overdue invoices (%s)", steps.sorted("days")[-1].name),
        )

    def _agency_channel_collections(self, steps):
        """Handed over to collections: no further automatic step for this client."""
        self.partner_id.sudo().agency_reminder_collections = True
        self.partner_id.message_post(
            body=self.env._("Handed over to collections: automatic reminders stop."), subtype_xmlid="mail.mt_note"
        )

    def _agency_schedule_activity(self, activity_xmlid, steps, summary):
        step = steps.sorted("days")[-1]
        user = step.activity_user_id or self.partner_id.user_id or self.env.ref("base.user_admin", False)
        self.activity_id = self.partner_id.sudo().activity_schedule(
            activity_xmlid, date_deadline=self.date, summary=summary, note=self.lines_html, user_id=user.id
        )

    # ------------------------------------------------------------------
    # ATTACHMENTS
    # ------------------------------------------------------------------

    def _agency_invoice_attachments(self):
        """The invoices of the message: the PDF each was sent with, and the others printed together."""
        moves = self.log_ids.move_id
        attachments = moves.invoice_pdf_report_id
        missing = moves.filtered(lambda move: not move.invoice_pdf_report_id)
        if missing:
            pdf, _kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf("account.account_invoices", missing.ids)
            name = f"{missing._get_report_base_filename()}.pdf" if len(missing) == 1 else self.env._("Invoices.pdf")
            attachments |= self._agency_attachment(name, pdf)
        return attachments

    def _agency_statement_attachment(self):
        partner = self.partner_id.with_context(lang=self.partner_id.lang)
        pdf, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("agency_billing.action_report_customer_statement", partner.ids)
        )
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
