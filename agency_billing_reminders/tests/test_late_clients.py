from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestLateClients(AgencyReminderCommon):
    """Late Clients: how much, how late, the current step, the next action and its date, any hold."""

    def test_late_client_row(self):
        self.env.user.group_ids += self.env.ref("agency_billing.group_agency_billing_user")
        today = fields.Date.context_today(self.env.user)
        client = self._client("Row Ltd")
        invoice = self._invoice(client, today - relativedelta(days=70), 1000.0)  # due 40 days ago
        self._invoice(client, today, 300.0)  # not due: not in the overdue figures
        row = self.env["agency.late.client"].search([("partner_id", "=", client.id)])
        self.assertRecordValues(
            row,
            [{"amount_overdue": invoice.amount_total, "invoice_count": 1, "days_late": 40, "step_id": False}],
        )
        self.assertEqual(row.next_step_id.name, "Formal notice", "the step it has reached")
        self.assertEqual(row.next_date, today)
        row.action_send_next_step()
        self.env["agency.late.client"].invalidate_model()
        self.assertEqual(row.step_id.name, "Formal notice")
        self.assertEqual(
            (row.next_step_id.name, row.next_date), ("Collections", invoice.invoice_date_due + relativedelta(days=60))
        )
        client._agency_pause_reminders(today + relativedelta(days=5), "Closing")
        self.env["agency.late.client"].invalidate_model()
        self.assertEqual((row.hold_kind, row.hold_until), ("pause", today + relativedelta(days=5)))
