from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestLateClientsTour(AgencyReminderCommon, HttpCase):
    """Staff in *Late Clients*: send a step now, record a promise to pay, pause a client (real Chromium)."""

    def test_late_clients_tour(self):
        admin = self.env.ref("base.user_admin")
        admin.group_ids += self.env.ref("agency_billing.group_agency_billing_manager")
        admin.write({"company_ids": [(4, self.env.company.id)], "company_id": self.env.company.id})
        client = self._client("Tour Late Client")
        today = fields.Date.today()
        invoice = self._invoice(client, today - relativedelta(days=60), 1000.0)  # 30 days late
        self.start_tour("/odoo", "agency_late_clients_tour", login="admin")
        logs = self._logs(client)
        self.assertEqual(logs.step_id.name, "Third reminder", "the step the invoice reached")
        self.assertEqual(logs.origin, "user")
        holds = self.env["agency.reminder.hold"].search([("partner_id", "=", client.id)], order="id")
        self.assertEqual(holds.mapped("kind"), ["promise", "pause"])
        self.assertEqual(holds[0].move_id, invoice)
        self.assertEqual((holds[0].amount, str(holds[0].date_until)), (100.0, "2099-12-31"))
        self.assertEqual((holds[1].reason, str(holds[1].date_until)), ("Annual closing", "2099-12-15"))
