from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestReminderTimeline(AgencyReminderCommon):
    """60 days of the scheduled run, twice a day: which client gets which message on which day."""

    def test_business_ladder_each_step_once(self):
        invoice = self._invoice(self.client_brand, "2026-09-01", 1000.0)  # due 2026-10-01
        with self.mock_mail_gateway():
            self._run_days("2026-09-25", 60)
        self.assertEqual(
            self._sent_days(self.client_company),
            {
                "2026-09-28": ["Friendly note before the due date"],
                "2026-10-04": ["First reminder"],
                "2026-10-16": ["Second reminder"],
                "2026-10-26": ["Third reminder"],
                "2026-11-02": ["Phone call"],
                "2026-11-07": ["Formal notice"],
            },
        )
        logs = self._logs(self.client_company)
        self.assertEqual(len(logs), 6)
        self.assertEqual(len(logs.step_id), 6, "each step once")
        self.assertEqual(set(logs.move_id), {invoice})
        mails = self._new_mails.filtered(lambda mail: mail.model == "agency.reminder.message")
        self.assertEqual(len(mails), 5, "the phone-call step is an activity, not a mail")
        self.assertTrue(all(mail.state == "outgoing" for mail in mails), "queued, sent by Odoo's mail queue")
        call = self._messages(self.client_company).filtered(lambda message: message.channels == "call")
        self.assertEqual(call.activity_id.user_id, self.salesperson)
        self.assertEqual(call.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        notice_message = self._messages(self.client_company).filtered(lambda message: message.channels == "mail,letter")
        notice = self.assertMailMail(
            self.client_brand,
            "outgoing",
            mail_message=notice_message.mail_id.mail_message_id,
            content=invoice.name,
            fields_values={"subject": f"{self.env.company.name}: formal notice about your unpaid invoices"},
        )
        self.assertEqual(len(notice.attachment_ids), 2, "the invoice and the statement")
        self.assertIn("1,000.00", notice.body_html)
