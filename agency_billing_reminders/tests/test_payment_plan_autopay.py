from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .autopay_common import AgencyAutopayCommon


@tagged("post_install", "-at_install")
class TestPaymentPlanAutopay(AgencyAutopayCommon):
    """A client on autopay with a payment plan: each plan payment is charged on its date for what is left of
    it (never the invoice's own installment), and the plan is kept."""

    def test_plan_paid_by_autopay(self):
        with freeze_time("2026-11-02 09:00"):
            self._turn_on()
        invoice = self._inv([900.0], date="2026-10-01")  # due 2026-10-31: overdue when the plan is made
        with freeze_time("2026-11-05 07:00"):
            plan = self.env["agency.payment.plan"]._agency_propose(invoice, 3, origin="staff", first_now=True)
            # the customer pays 100.00 of the second payment early: it counts toward the first one
            self._register_payment(invoice, amount=100.0, payment_date="2026-11-05")
        self._autopay_days("2026-11-05", 63, reminders=True)
        charges = self._charges()
        lines = plan.line_ids
        self.assertEqual(charges.mapped("key"), [f"plan-line-{line.id}" for line in lines], "per plan payment")
        self.assertEqual(charges.mapped("amount"), [200.0, 300.0, 300.0], "what is left of each payment")
        self.assertEqual(charges.mapped("date"), lines.mapped("date"), "each on its date")
        self.assertEqual(set(charges.mapped("state")), {"done"})
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(plan.state, "kept")
        self.assertFalse(self._logs(self.client), "no reminder of the invoice's own dates")

    def test_plan_waits_for_autopay_retries_then_breaks_and_leaves_autopay(self):
        """A plan payment whose automatic charge fails: while a retry is planned, no "payment late" note and
        the plan is not broken; after the last failed try the plan breaks and its invoice leaves autopay (no
        new charges of the invoice's own installment)."""
        with freeze_time("2026-11-02 09:00"):
            self._turn_on()
        self.token.demo_simulated_state = "error"
        invoice = self._inv([900.0], date="2026-10-01")
        with freeze_time("2026-11-05 07:00"):
            plan = self.env["agency.payment.plan"]._agency_propose(invoice, 3, origin="staff", first_now=True)
        first = plan.line_ids[0]
        Charge = self.env["agency.autopay.charge"]
        for day in self._days("2026-11-05", 20):
            for hour in ("08:00", "20:00"):
                with freeze_time(f"{day} {hour}"):
                    self._autopay(day)
                    with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
                        self.env["agency.payment.plan"]._cron_agency_payment_plans(date_ref=day)
                    if Charge._agency_autopay_retrying([first._agency_autopay_key()]):
                        self.assertEqual(plan.state, "active", f"not broken on {day} while a retry is planned")
                        self.assertFalse(first.notice_missed_date, f"no late note on {day} while a retry is planned")
        charges = self._charges()
        self.assertEqual(len(charges), 5, "the first try and four retries")
        self.assertTrue(charges[-1].final)
        self.assertEqual(set(charges.mapped("key")), {first._agency_autopay_key()}, "never the invoice's own")
        self.assertEqual(plan.state, "broken")
        self.assertGreaterEqual(plan.break_date, charges[-1].date)
