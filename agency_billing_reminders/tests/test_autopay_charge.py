from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .autopay_common import AgencyAutopayCommon

DUE = "2026-12-01"  # invoices of 2026-11-01 on 30 days


@tagged("post_install", "-at_install")
class TestAutopayCharge(AgencyAutopayCommon):
    """The scheduled charge of each installment on its due date with the client's saved payment method,
    driven day by day (twice a day) with the demo provider's outcomes."""

    def setUp(self):
        super().setUp()
        with freeze_time("2026-11-02 09:00"):
            self.mandate = self._turn_on().sudo()

    def test_done_pays_once_with_a_receipt(self):
        invoice = self._inv([1000.0])
        self._autopay_days("2026-11-28", 3)
        self.assertFalse(self._charges(), "nothing before the due date")
        self._autopay_days(DUE, 3)
        charge = self._charges()
        self.assertEqual(len(charge), 1, "one charge, however often the run goes")
        self.assertEqual((charge.state, charge.attempt, charge.amount), ("done", 1, 1000.0))
        self.assertEqual(charge.date, self._d(DUE))
        tx = charge.transaction_id
        self.assertEqual((tx.state, tx.operation, tx.token_id), ("done", "offline", self.token))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(tx.payment_id, "Odoo's own post-processing made the payment")
        self.assertEqual(tx.payment_id.move_id.agency_receipt_state, "to_send", "a receipt as for any payment")
        self.assertEqual(self.env["payment.transaction"].search_count([("invoice_ids", "in", invoice.ids)]), 1)

    def test_days_before_and_installments(self):
        self.env.company.agency_autopay_days_before = 3
        terms = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 50, "nb_days": 10}),
                    (0, 0, {"value": "percent", "value_amount": 50, "nb_days": 40}),
                ],
            }
        )
        invoice = self._inv([1000.0], term=terms)
        self._autopay_days("2026-11-07", 2)  # first installment due 11-11: charged on 11-08
        charges = self._charges()
        self.assertEqual(charges.mapped("amount"), [500.0])
        self.assertEqual(charges.date, self._d("2026-11-08"))
        self.assertEqual(invoice.payment_state, "partial")
        self._autopay_days("2026-12-07", 2)  # second one due 12-11: charged on 12-08
        self.assertEqual(self._charges().mapped("amount"), [500.0, 500.0])
        self.assertEqual(len(set(self._charges().mapped("key"))), 2, "one key per installment")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_pending_then_done_by_webhook(self):
        self.token.demo_simulated_state = "pending"
        invoice = self._inv([800.0])
        self._autopay_days(DUE, 1)
        charge = self._charges()
        self.assertEqual(charge.state, "pending")
        with freeze_time("2026-12-02 07:00"):
            reasons = self.client._agency_reminder_hold_reasons(self._d("2026-12-04"))
        self.assertIn("online payment in progress", reasons)
        # the provider confirms while the run goes on: never a second charge
        self._autopay_days("2026-12-02", 1)
        with freeze_time("2026-12-03 10:00"):
            charge.transaction_id._set_done()
            charge.transaction_id._post_process()
        self._autopay_days("2026-12-03", 10)
        self.assertEqual(charge.state, "done")
        self.assertEqual(len(self._charges()), 1)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_error_retries_then_success(self):
        self.token.demo_simulated_state = "error"
        invoice = self._inv([600.0])
        with self.mock_mail_gateway():
            self._autopay_days(DUE, 2)
        charges = self._charges()
        self.assertEqual(charges.mapped("attempt"), [1, 2])
        self.assertEqual(charges.mapped("state"), ["failed", "failed"])
        self.assertEqual(charges[-1].next_try, self._d("2026-12-04"), "+1, +3, +5, +7 days after the first failure")
        mails = self.env["mail.mail"].search([("model", "=", "agency.autopay.charge"), ("res_id", "in", charges.ids)])
        self.assertEqual(len(mails), 2, "one mail after each failure")
        self.assertIn("/my/payment_method", mails[0].body_html)
        self.assertIn(f"/my/invoices/{invoice.id}", mails[0].body_html)
        self.token.demo_simulated_state = "done"
        self._autopay_days("2026-12-03", 5)
        charges = self._charges()
        self.assertEqual(charges.mapped("state"), ["failed", "failed", "done"])
        self.assertEqual(charges[-1].date, self._d("2026-12-04"))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_error_until_the_last_retry_then_reminders(self):
        self.token.demo_simulated_state = "error"
        invoice = self._inv([600.0])
        self._autopay_days("2026-11-25", 25, reminders=True)
        charges = self._charges()
        self.assertEqual(
            [str(charge.date) for charge in charges],
            ["2026-12-01", "2026-12-02", "2026-12-04", "2026-12-06", "2026-12-08"],
        )
        self.assertEqual(charges.mapped("final"), [False, False, False, False, True])
        self.assertFalse(charges[-1].next_try)
        held = self._logs(self.client, state="held")
        self.assertTrue(held, "reminders waited while a try was scheduled")
        self.assertTrue(any("automatic payment scheduled on" in log.reason for log in held), held.mapped("reason"))
        sent = self._logs(self.client)
        self.assertTrue(sent, "after the last try the cadence takes over")
        self.assertGreaterEqual(min(sent.mapped("date")), self._d("2026-12-08"))
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_revoked_method_is_not_retried(self):
        self.token.demo_simulated_state = "cancel"
        self._inv([600.0])
        self._autopay_days(DUE, 10)
        charge = self._charges()
        self.assertEqual(len(charge), 1)
        self.assertEqual((charge.state, charge.final, charge.next_try), ("failed", True, False))

    def test_payment_by_hand_on_the_morning_of_the_charge(self):
        invoice = self._inv([600.0])
        with freeze_time(f"{DUE} 07:00"):
            self._register_payment(invoice, payment_date=DUE)
        self._autopay_days(DUE, 3)
        self.assertFalse(self._charges())

    def test_paid_between_planning_and_sending(self):
        """The invoice paid after the run chose it and before its transaction goes out: not sent."""
        invoice = self._inv([600.0])
        Charge = type(self.env["agency.autopay.charge"])
        prepare = Charge._agency_autopay_prepare

        def pay_then_prepare(this, items, date):
            charges = prepare(this, items, date)
            self._register_payment(invoice, payment_date=DUE)
            return charges

        with freeze_time(f"{DUE} 08:00"), patch.object(Charge, "_agency_autopay_prepare", pay_then_prepare):
            self._autopay(DUE)
        charge = self._charges()
        self.assertEqual(charge.state, "cancel")
        self.assertEqual(charge.transaction_id.state, "cancel")
        self.assertEqual(len(invoice.matched_payment_ids | invoice._get_reconciled_payments()), 1)

    def test_disputed_section_left_out(self):
        invoice = self._inv([700.0, 300.0], sections=["Website", "Print"])
        section = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")[1]
        with freeze_time("2026-11-20"):
            invoice._agency_dispute("Not delivered", section_line=section)
        self._autopay_days(DUE, 2)
        charge = self._charges()
        self.assertEqual(charge.amount, 700.0, "the disputed section is left out")
        self.assertEqual(charge.state, "done")
        self.assertEqual(invoice.amount_residual, 300.0)

    def test_never_blocked_held_above_ceiling_or_other_company(self):
        blocked = self._inv([100.0])
        blocked.action_toggle_block_payment()
        paused = self._inv([200.0])
        with freeze_time("2026-11-20"):
            paused._agency_pause_reminders("2026-12-20", "Waiting for the PO")
        self.mandate.max_amount = 5000.0
        big = self._inv([9000.0])
        other = self.setup_other_company(name="Other Agency")["company"]
        foreign = self._inv([300.0], company=other)
        self._autopay_days(DUE, 2)
        self.assertFalse(self._charges(), "blocked, on hold, above the ceiling, of another company: none")
        self.assertEqual(big.payment_state, "not_paid")
        self.assertEqual(foreign.payment_state, "not_paid")

    def test_turned_off_charges_nothing(self):
        self._inv([100.0])
        self.mandate.with_user(self.salesperson).action_turn_off()
        self.assertEqual(self.mandate.state, "off")
        self.assertEqual(self.mandate.off_user_id, self.salesperson)
        self._autopay_days(DUE, 2)
        self.assertFalse(self._charges())

    def test_late_confirmation_of_a_failed_attempt_stops_the_retry(self):
        """A webhook confirms attempt 1 after it was recorded as failed, while the run is about to retry it:
        the retry is not sent (the earlier attempt is checked right before sending), nothing is paid twice."""
        self.token.demo_simulated_state = "error"
        invoice = self._inv([600.0])
        self._autopay_days(DUE, 1)
        first = self._charges()
        self.assertEqual((first.state, first.next_try), ("failed", self._d("2026-12-02")))
        self.token.demo_simulated_state = "done"
        Charge = type(self.env["agency.autopay.charge"])
        prepare = Charge._agency_autopay_prepare

        def confirm_then_prepare(this, items, date):
            charges = prepare(this, items, date)
            first.transaction_id._set_done()  # the provider's late webhook, not post-processed yet
            return charges

        with freeze_time("2026-12-02 08:00"), patch.object(Charge, "_agency_autopay_prepare", confirm_then_prepare):
            self._autopay("2026-12-02")
        second = self._charges() - first
        self.assertEqual(second.state, "cancel", second.failure_reason)
        first.transaction_id._post_process()
        self.assertEqual(first.state, "done", "the charge follows its late-confirmed transaction")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self._autopay_days("2026-12-03", 8)
        self.assertEqual(len(self._charges()), 2)
        self.assertEqual(len(invoice._get_reconciled_payments()), 1)
