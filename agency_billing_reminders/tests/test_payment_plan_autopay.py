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
