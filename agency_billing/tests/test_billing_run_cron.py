from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunCron(BillingRunCommon):
    """The scheduled action bills each client on its billing day."""

    def test_scheduled_billing_on_the_billing_day(self):
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_billing_day": 10})
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        cron = self.env.ref("agency_billing.ir_cron_agency_billing_run")
        self.assertEqual(cron.code.strip(), "model._cron_bill_due_clients()")
        Run = self.env["agency.billing.run"].with_user(cron.user_id)  # the cron's user, as the scheduler runs it
        progress = []

        def commit_progress(cron_model, processed=0, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0  # seconds left; no commit inside the test transaction

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            Run._cron_bill_due_clients(date_ref="2026-11-09")
            self.assertFalse(Run.search([("trigger", "=", "cron")]).invoice_ids, "not before the billing day")
            Run._cron_bill_due_clients(date_ref="2026-11-10")
            Run._cron_bill_due_clients(date_ref="2026-11-11")  # the next day bills nothing more
        runs = Run.search([("trigger", "=", "cron"), ("company_id", "=", self.env.company.id)])
        self.assertEqual(len(runs), 1, "one scheduled run per period and company")
        self.assertEqual(len(runs.invoice_ids), 1)
        self.assertEqual(runs.invoice_ids.commercial_partner_id, self.client_company)
        self.assertIn((1, 0), progress, "progress committed client by client batch")

    def test_a_scheduled_run_is_in_progress_for_its_month_then_done(self):
        """The month's scheduled run says what it is: in progress while it bills clients day after day
        (and what it billed so far), done once the month is over; staff cannot bill it by hand."""
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_billing_day": 10})
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        Run = self.env["agency.billing.run"]
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            Run._cron_bill_due_clients(date_ref="2026-11-10")
            run = Run.search([("trigger", "=", "cron"), ("period", "=", "2026-11")])
            self.assertEqual(run.state, "in_progress")
            self.assertEqual((run.billed_count, run.amount_billed), (1, 1000))
            with self.assertRaisesRegex(UserError, "bills each client on its billing day by itself"):
                run.action_bill()
            Run._cron_bill_due_clients(date_ref="2026-11-30")
            self.assertEqual(run.state, "in_progress", "still November")
            Run._cron_bill_due_clients(date_ref="2026-12-01")
        self.assertEqual(run.state, "done")
