from freezegun import freeze_time

from odoo.tests import tagged

from .autopay_common import AgencyAutopayCommon


@tagged("post_install", "-at_install")
class TestAutopayQueryCount(AgencyAutopayCommon):
    """The charge run's SQL queries per charge do not grow with the number of clients (N and 2N)."""

    def _clients_on_autopay(self, count, prefix, invoice_date):
        clients = []
        for index in range(count):
            client = self._client(f"{prefix} {index} GmbH")
            user = self._portal_user(client, f"{prefix.lower()}.{index}")
            with freeze_time("2026-11-02 09:00"):
                self._turn_on(user=user, token=self._token(client))
            self._inv([100.0 + index], partner=client, date=invoice_date)
            clients.append(client)
        return clients

    def _queries_per_charge(self, count, prefix, invoice_date, day):
        self._clients_on_autopay(count, prefix, invoice_date)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(f"{day} 08:00"):
            self._autopay(day)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        charges = self.env["agency.autopay.charge"].search_count([("date", "=", day), ("state", "=", "done")])
        self.assertEqual(charges, count)
        return queries / count

    def test_queries_per_charge_flat(self):
        small = self._queries_per_charge(4, "Small", "2026-11-01", "2026-12-01")
        # the next month: twice as many clients due (the first ones have nothing due any more)
        large = self._queries_per_charge(8, "Large", "2026-12-01", "2026-12-31")
        self.assertLessEqual(large, small * 1.1 + 2, f"{small:.1f} then {large:.1f} queries per charge")
