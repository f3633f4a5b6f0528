from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingSchedule(BillingRunCommon):
    """The scheduled billing: each client on its own day, and whatever could not be billed tried
    again at every later run of the month, with its attempts and reason for staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["agency.billing.run"]
        cls.Schedule = cls.env["agency.billing.schedule"]
        cls.client_company.write({"agency_billing_policy": "time_materials", "agency_billing_day": 5})
        cls.globex = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_billing_policy": "time_materials", "agency_billing_day": 20}
        )

    def _cron(self, *days):
        """The scheduled action on each of these days (commits are the test's: none)."""
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            for day in days:
                self.Run._cron_bill_due_clients(date_ref=day)

    def _schedule(self, partner, period="2026-11"):
        return self.Schedule.search([("partner_id", "=", partner.id), ("period", "=", period)])

    def _invoices(self, partner):
        return self.env["account.move"].search(
            [("commercial_partner_id", "=", partner.id), ("move_type", "=", "out_invoice")]
        )

    def test_each_invoice_dated_on_its_clients_billing_day(self):
        """Globex (the 20th) in a month where Acme was billed on the 5th: its invoice is dated the
        20th, and its free pilot, over on the 10th, is over (it was compared with the 5th)."""
        self.globex.agency_pilot_end_date = "2026-11-10"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._order(self.globex, False, [(self.hours, 5, 5)])
        self._cron(*(f"2026-11-{day:02d}" for day in range(1, 31)))
        self.assertEqual(self._invoices(self.client_company).invoice_date, date(2026, 11, 5))
        self.assertEqual(self._invoices(self.globex).invoice_date, date(2026, 11, 20))
        schedule = self._schedule(self.globex)
        self.assertRecordValues(
            schedule,
            [{"state": "billed", "billing_date": date(2026, 11, 20), "attempt_count": 1}],
        )
        self.assertEqual(schedule.invoice_ids, self._invoices(self.globex))
        run = self.Run.search([("trigger", "=", "cron"), ("period", "=", "2026-11")])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.invoice_ids, self._invoices(self.client_company) | self._invoices(self.globex))

    def test_a_client_held_by_another_transaction_is_billed_at_the_next_run(self):
        """Staff saving the client holds its row: left out as locked, tried again (a run is triggered
        soon), billed at the next run, dated the day it is really billed."""
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        Partner = type(self.client_company)
        original = Partner.try_lock_for_update

        def held(records, **kwargs):
            return original(records - self.client_company, **kwargs)

        cron = self.env.ref("agency_billing.ir_cron_agency_billing_run")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with patch.object(Partner, "try_lock_for_update", held):
            self._cron("2026-11-05")
        schedule = self._schedule(self.client_company)
        self.assertRecordValues(schedule, [{"state": "retry", "last_reason": "locked", "attempt_count": 1}])
        self.assertIn("another run", schedule.last_message)
        self.assertFalse(self._invoices(self.client_company))
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers, "retried soon")
        self._cron("2026-11-06")
        self.assertRecordValues(schedule, [{"state": "billed", "last_reason": False, "attempt_count": 2}])
        self.assertEqual(self._invoices(self.client_company).invoice_date, date(2026, 11, 6))
        run = schedule.run_id
        self.assertEqual(len(run.line_ids.filtered(lambda line: line.partner_id == self.client_company)), 1)
        self._cron("2026-11-07")
        self.assertEqual(len(self._invoices(self.client_company)), 1, "billed once")
        self.assertEqual(schedule.attempt_count, 2, "a billed client is not tried again")

    def test_po_missing_and_transient_error_retried_until_billed(self):
        self.client_company.agency_po_required = True
        order = self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._order(self.globex, False, [(self.hours, 5, 5)])
        self.globex.agency_billing_day = 5
        Run = type(self.Run)
        original = Run._prepare_invoice_vals

        def flaky(run, plan):
            if plan.partner == self.globex:
                raise ValueError("connection reset by peer")
            return original(run, plan)

        with patch.object(Run, "_prepare_invoice_vals", flaky):
            self._cron("2026-11-05")
        self.assertRecordValues(self._schedule(self.client_company), [{"state": "retry", "last_reason": "po_missing"}])
        self.assertRecordValues(self._schedule(self.globex), [{"state": "retry", "last_reason": "error"}])
        self.assertIn("connection reset", self._schedule(self.globex).last_message)
        self._cron("2026-11-06")
        self.assertEqual(self._invoices(self.globex).invoice_date, date(2026, 11, 6))
        self.assertEqual(self._schedule(self.client_company).attempt_count, 2)
        order.client_order_ref = "PO-42"
        self._cron("2026-11-12")
        self.assertRecordValues(self._schedule(self.client_company), [{"state": "billed", "attempt_count": 3}])
        self.assertEqual(self._invoices(self.client_company).invoice_date, date(2026, 11, 12))

    def test_the_month_closes_and_its_work_is_billed_next_month(self):
        self.client_company.agency_on_hold = True
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._cron("2026-11-05", "2026-11-30")
        self.assertRecordValues(
            self._schedule(self.client_company), [{"state": "retry", "last_reason": "on_hold", "attempt_count": 2}]
        )
        self.client_company.agency_on_hold = False
        self._cron("2026-12-01")
        self.assertEqual(self._schedule(self.client_company).state, "closed")
        self.assertEqual(self.Run.search([("period", "=", "2026-11"), ("trigger", "=", "cron")]).state, "done")
        self._cron("2026-12-05")
        self.assertEqual(self._schedule(self.client_company, "2026-12").state, "billed")
        invoice = self._invoices(self.client_company)
        self.assertEqual((invoice.invoice_date, invoice.amount_untaxed), (date(2026, 12, 5), 1000))

    def test_a_client_billed_by_the_wizard_is_billed_for_the_scheduler(self):
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        manual = self._run(date="2026-11-02")
        self._cron("2026-11-05")
        schedule = self._schedule(self.client_company)
        self.assertEqual(schedule.state, "billed")
        self.assertEqual(schedule.invoice_ids, manual.invoice_ids)
        self.assertEqual(len(self._invoices(self.client_company)), 1)

    def test_posting_respects_the_lock_date(self):
        """Invoices posted at once: a sales lock date on the billing day leaves the client out with a
        clear reason, and it is billed and posted once the period is open again."""
        self.env.company.agency_billing_auto_post = True
        with freeze_time("2026-11-05 08:00:00"):
            self.env.company.sale_lock_date = "2026-11-05"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        with freeze_time("2026-11-05 09:00:00"):
            self._cron("2026-11-05")
        schedule = self._schedule(self.client_company)
        self.assertRecordValues(schedule, [{"state": "retry", "last_reason": "lock_date"}])
        self.assertIn("cannot be posted", schedule.last_message)
        self.assertFalse(self._invoices(self.client_company))
        with freeze_time("2026-11-06 09:00:00"):
            self._cron("2026-11-06")
        invoice = self._invoices(self.client_company)
        self.assertRecordValues(invoice, [{"state": "posted", "invoice_date": date(2026, 11, 6)}])

    def test_one_row_per_client_company_and_period(self):
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._cron("2026-11-01")
        schedule = self._schedule(self.client_company)
        self.assertRecordValues(schedule, [{"state": "pending", "billing_date": date(2026, 11, 5)}])
        self.assertFalse(self._schedule(self.globex), "no order: nothing scheduled")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            schedule.sudo().copy()
        self.assertEqual(self.client_company.agency_billing_schedule_ids, schedule, "on the client's Billing tab")
