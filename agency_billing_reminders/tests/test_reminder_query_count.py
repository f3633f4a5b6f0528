from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import AgencyReminderCommon

N = 4


@tagged("post_install", "-at_install")
class TestReminderQueryCount(AgencyReminderCommon):
    """The queries to remind one client do not grow with its number of invoices (N and 2N)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warm = cls._client("Warm Up Ltd")
        cls.small = cls._client("Small Ltd")
        cls.big = cls._client("Big Ltd")
        cls._invoice(cls.warm, "2026-09-01", 10.0)
        for index in range(N):
            cls._invoice(cls.small, "2026-09-01", 100.0 + index)
        for index in range(2 * N):
            cls._invoice(cls.big, "2026-09-01", 100.0 + index)

    def _queries(self, partner, day):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        with freeze_time(day):
            message = partner._agency_send_reminders(fields.Date.to_date(day))
        self.env.flush_all()
        return message, self.env.cr.sql_log_count - start

    def test_queries_do_not_grow_with_invoices(self):
        self._queries(self.warm, "2026-10-04")  # caches a long run shares (template, cadences, views)
        small_message, small = self._queries(self.small, "2026-10-04")
        big_message, big = self._queries(self.big, "2026-10-04")
        self.assertEqual(len(small_message.log_ids), N)
        self.assertEqual(len(big_message.log_ids), 2 * N)
        self.assertEqual(set(big_message.log_ids.step_id.mapped("name")), {"First reminder"})
        self.assertEqual(small, big, f"{N} invoices take {small} queries, {2 * N} take {big}")

    def test_printing_the_invoices_costs_odoo_s_payments_widget_only(self):
        """At a step that attaches the invoices, Odoo's invoice report reads each invoice's payments:
        one query per invoice printed, nothing more."""
        for day in ("2026-10-04", "2026-10-16"):
            self._queries(self.warm, day)
        self._queries(self.small, "2026-10-04")
        self._queries(self.big, "2026-10-04")
        _small_message, small = self._queries(self.small, "2026-10-16")
        big_message, big = self._queries(self.big, "2026-10-16")
        self.assertEqual(set(big_message.log_ids.step_id.mapped("attach_invoices")), {True})
        self.assertLessEqual(big - small, N, f"{N} invoices take {small} queries, {2 * N} take {big}")
