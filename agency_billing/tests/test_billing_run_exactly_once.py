from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunExactlyOnce(BillingRunCommon):
    """Exactly once: a broken client fails alone, a client is never billed twice."""

    def test_one_broken_client_fails_alone(self):
        other = self._two_clients_to_bill()
        Run = type(self.env["agency.billing.run"])
        original = Run._prepare_invoice_vals

        def broken(run, plan):
            if plan.partner == other:
                raise ValueError("broken client data")
            return original(run, plan)

        with patch.object(Run, "_prepare_invoice_vals", broken):
            run = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(run).state, "billed")
        failed = self._line(run, other)
        self.assertEqual((failed.state, failed.reason), ("failed", "error"))
        self.assertIn("broken client data", failed.message)
        # fixed later: billed then, and only then
        retry = self._run(partners=other)
        self.assertEqual(self._line(retry, other).state, "billed")

    def test_failure_at_creation_falls_back_to_one_by_one(self):
        other = self._two_clients_to_bill()
        Run = type(self.env["agency.billing.run"])
        original = Run._prepare_invoice_vals

        def bad_vals(run, plan):
            vals = original(run, plan)
            if plan.partner == other:
                vals["journal_id"] = -1  # makes the INSERT fail
            return vals

        with patch.object(Run, "_prepare_invoice_vals", bad_vals):
            run = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(run).state, "billed")
        self.assertEqual(self._line(run, other).state, "failed")
        self.assertEqual(len(run.invoice_ids), 1)

    def test_concurrent_run_skips_a_client_being_billed(self):
        """Another worker holds the client's row: this run leaves it to that worker."""
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        run = self._run(bill=False)
        with patch.object(type(self.client_company), "try_lock_for_update", lambda records, **kw: records.browse()):
            run.action_bill()
        line = self._line(run)
        self.assertEqual((line.state, line.reason), ("skipped", "locked"))
        self.assertFalse(run.invoice_ids)

    def test_the_billing_key_is_unique_in_the_database(self):
        """Even two workers that could not see each other's invoice cannot bill a period twice."""
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        invoice = self._run().invoice_ids
        duplicate = invoice.copy()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            duplicate.agency_billing_key = invoice.agency_billing_key
            duplicate.flush_recordset()

    def test_rerun_of_a_period_bills_nothing_twice_and_drops_nothing(self):
        """A run killed after billing some clients: the next run bills the others, and only them."""
        other = self._two_clients_to_bill(other_hours=5)
        first = self._run()  # as if killed before reaching Globex
        second = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(second).reason, "already_billed")
        self.assertEqual(self._line(second, other).state, "billed")
        invoices = first.invoice_ids | second.invoice_ids
        self.assertEqual(len(invoices), 2)
        self.assertEqual(sorted(invoices.mapped("amount_untaxed")), [500, 1000])

    def test_a_client_locked_by_another_worker_is_left_to_it(self):
        """A real second transaction holds the client's row: this run skips the client without waiting."""
        partner = self.env.ref("base.main_partner")  # committed, so the other transaction sees it
        run = self.env["agency.billing.run"].create({"date": "2026-11-05"})
        with self.registry.cursor() as other_cr:
            # as another worker's try_lock_for_update(allow_referencing=True) does
            other_cr.execute("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [partner.id])
            self.assertTrue(other_cr.fetchall(), "the other worker holds the client")
            run._bill_partners(partner)
            other_cr.rollback()
        line = self._line(run, partner)
        self.assertEqual((line.state, line.reason), ("skipped", "locked"))
        run._bill_partners(partner)  # released: handled now (here: nothing to bill)
        lines = self._line(run, partner)
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.filtered(lambda line: line.reason == "locked"), line, "locked only the first time")
