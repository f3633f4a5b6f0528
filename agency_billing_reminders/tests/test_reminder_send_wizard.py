from freezegun import freeze_time

from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-10-04")
class TestReminderSendWizard(AgencyReminderCommon):
    """*Send reminders*: a preview client by client with the reasons held back, then the same sending."""

    def test_preview_then_send(self):
        invoice = self._invoice(self.client_brand, "2026-09-01", 1000.0)  # first reminder due today
        promised_client = self._client("Promised Ltd")
        promised = self._invoice(promised_client, "2026-09-01", 400.0)
        promised._agency_promise_to_pay("2026-10-20")
        wizard = self.env["agency.reminder.send.wizard"].with_user(self.agency_user).create({"date": "2026-10-04"})
        preview = wizard.preview_html
        self.assertIn(invoice.name, preview)
        self.assertIn("First reminder", preview)
        self.assertIn("to send", preview)
        self.assertIn("held back: promise to pay until 10/20/2026", preview)
        self.assertEqual(wizard.to_send_count, 1)
        self.assertFalse(self._messages(self.client_company), "a preview sends nothing")
        with self.mock_mail_gateway():
            wizard.action_send()
        self.assertEqual(self._logs(self.client_company).origin, "user")
        self.assertFalse(self._messages(promised_client))
        self.assertEqual(self._logs(promised_client, "held").reason, "promise to pay until 10/20/2026")
        again = (
            self.env["agency.reminder.send.wizard"]
            .with_user(self.agency_user)
            .create({"date": "2026-10-04", "partner_ids": self.client_company.ids})
        )
        self.assertEqual(again.to_send_count, 0, "sent once")
