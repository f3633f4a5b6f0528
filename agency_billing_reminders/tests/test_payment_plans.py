from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .plan_common import AgencyPlanCommon


@tagged("post_install", "-at_install")
class TestPaymentPlans(AgencyPlanCommon):
    """Payment plans chosen by the customer: accepted at once within the profile's limits, sent to staff
    beyond them, kept, missed, paid early; the reminders follow the plan and late fees wait."""

    @freeze_time("2026-11-05 08:00")
    def test_accepted_within_limits(self):
        plan = self._propose(3)
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.origin, "portal")
        self.assertEqual(plan.proposed_uid, self.portal_user)
        self.assertFalse(plan.decided_uid, "accepted at once, by the profile's limits")
        self.assertEqual(
            [str(date) for date in plan.line_ids.mapped("date")], ["2026-11-05", "2026-12-05", "2027-01-05"]
        )
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), self.total)
        self.assertAlmostEqual(plan.amount_left, self.total)
        self.assertEqual(plan.line_ids.mapped("state"), ["due", "due", "due"])
        self.assertFalse(plan.sudo().activity_ids)
        self.assertEqual(self.invoice._agency_active_payment_plan(), plan)
        self.assertEqual(self.invoice.amount_residual, self.total, "the posted invoice is never changed")
        # the customer reads its own plan
        self.assertEqual(self.Plan.with_user(self.portal_user).search([]), plan)

    @freeze_time("2026-11-05 08:00")
    def test_preview_saves_nothing(self):
        preview = self._propose(4, preview=True, first_amount=600.0)
        self.assertEqual(preview["lines"][0][1], 600.0)
        self.assertAlmostEqual(sum(amount for _date, amount in preview["lines"]), self.total)
        self.assertFalse(preview["auto"], "4 payments: beyond the 3 accepted at once")
        self.assertFalse(self.Plan.search([]))

    def test_beyond_limits_waits_for_staff(self):
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(5)
        self.assertEqual(plan.state, "proposed")
        self.assertEqual(plan.sudo().activity_ids.user_id, self.salesperson, "the client's salesperson decides")
        reasons = self.client._agency_reminder_hold_reasons(plan.date_start)
        self.assertFalse(reasons and "payment plan" in reasons, "a proposal does not hold the reminders")
        with freeze_time("2026-11-08 09:00"):
            plan.with_user(self.salesperson).action_accept()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.decided_uid, self.salesperson)
        self.assertEqual(str(plan.line_ids[0].date), "2026-11-08", "the dates move by the days it waited")
        self.assertFalse(plan.sudo().activity_ids)
        # a second proposal, refused
        with freeze_time("2026-11-08 09:00"):
            other = self._invoice(self.client, "2026-10-05", 900.0)
            second = self._propose(6, invoices=other)
            self.assertEqual(second.state, "proposed")
            second.with_user(self.salesperson).action_refuse()
        self.assertEqual(second.state, "refused")
        with self.assertRaises(UserError):
            second.with_user(self.salesperson).action_accept()

    def test_an_amount_above_the_automatic_limit_waits(self):
        self.cadence.sudo().plan_auto_amount = 100.0
        with freeze_time("2026-11-05 08:00"):
            self.assertEqual(self._propose(2).state, "proposed")

    def test_kept(self):
        """Each payment made on its date: no reminder of the invoice, a note before each payment, no late fee,
        and the plan is kept."""
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
        amounts = plan.line_ids.mapped("amount")
        payments = {str(line.date): line.amount for line in plan.line_ids}
        self._drive("2026-11-05", 70, payments=payments)
        self.assertEqual(plan.state, "kept")
        self.assertEqual(plan.amount_left, 0.0)
        self.assertFalse(self._logs(self.client), "the invoice was never reminded on its own dates")
        held = self._logs(self.client, state="held")
        self.assertTrue(held and all("payment plan" in log.reason for log in held), held.mapped("reason"))
        mails = self._plan_mails(plan)
        self.assertEqual(len(mails), 2, "one note before each later payment, none for the one paid at once")
        self.assertEqual([str(line.notice_before_date) for line in plan.line_ids[1:]], ["2026-12-02", "2027-01-02"])
        self.assertFalse(plan.line_ids.filtered("notice_missed_date"))
        self.assertFalse(self.invoice.agency_late_fee_move_ids, "no late fee while the plan is kept")
        self.assertEqual(len(amounts), 3)

    def test_missed_breaks_the_plan_and_the_cadence_resumes(self):
        """The second payment is not made: a note the day after, the plan broken after the grace days, then the
        invoice's own cadence from where it stands, fees from the day the plan broke."""
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
        first = plan.line_ids[0]
        self._drive("2026-11-05", 36, payments={"2026-11-05": first.amount})
        self.assertEqual(plan.state, "active")
        second = plan.line_ids[1]
        self.assertEqual(str(second.notice_missed_date), "2026-12-06")
        second.invalidate_recordset(["state"])
        with freeze_time("2026-12-10"):
            self.assertEqual(second.state, "late")
        self.assertFalse(self._logs(self.client))
        self._drive("2026-12-11", 1)
        self.assertEqual(plan.state, "broken")
        self.assertEqual(str(plan.break_date), "2026-12-11")
        sent = self._logs(self.client)
        self.assertTrue(sent, "the cadence resumes the day the plan breaks")
        self.assertEqual(sent[-1].step_id, self.env.ref("agency_billing_reminders.step_business_notice"))
        interest = self.invoice.agency_late_fee_ids.filtered(lambda fee: fee.component == "interest")
        self.assertEqual(str(interest.date_from), "2026-12-11", "fees from the break, not from the due date")
        self.assertEqual(len(self._plan_mails(plan).filtered(lambda mail: "late" in mail.subject)), 1)

    def test_missed_with_fees_from_the_original_dates(self):
        self.cadence.sudo().plan_fees_from_original = True
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
        self.assertTrue(plan.fees_from_original)
        self._drive("2026-11-05", 36, payments={"2026-11-05": plan.line_ids[0].amount})
        self._drive("2026-12-11", 1)
        interest = self.invoice.agency_late_fee_ids.filtered(lambda fee: fee.component == "interest")
        self.assertEqual(str(interest.date_from), "2026-11-01", "the profile says: from the invoice's own dates")

    def test_paid_early(self):
        """A payment counts toward the earliest open payment: two payments' worth at once pays the first two;
        the rest before its date keeps the plan."""
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
        lines = plan.line_ids
        self._drive("2026-11-05", 1, payments={"2026-11-05": lines[0].amount + lines[1].amount})
        self.assertEqual(lines.mapped("state"), ["paid", "paid", "due"])
        self.assertEqual(plan.next_date, lines[2].date)
        self._drive("2026-11-20", 1, payments={"2026-11-20": lines[2].amount})
        self.assertEqual(plan.state, "kept")
        self.assertFalse(self._plan_mails(plan), "nothing left to announce")

    def test_late_fees_wait_while_the_plan_runs(self):
        policy = self.env.ref("agency_billing_reminders.late_fee_policy_eu_business")
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
        with freeze_time("2026-11-20 08:00"):
            self.assertFalse(self.invoice._agency_charge_late_fee(policy, "2026-11-20"))
            plan.with_user(self.salesperson).action_cancel()
            self.assertTrue(self.invoice._agency_charge_late_fee(policy, "2026-11-20"), "cancelled: fees as before")

    @freeze_time("2026-11-05 08:00")
    def test_staff_propose_from_the_client(self):
        action = self.client.with_user(self.salesperson).action_agency_payment_plan_wizard()
        wizard = (
            self.env["agency.payment.plan.wizard"]
            .with_user(self.salesperson)
            .with_context(**action["context"])
            .create({"months": 10, "first_now": False})
        )
        self.assertEqual(wizard.invoice_ids, self.invoice)
        self.assertIn("2026-12-05", wizard.preview)
        wizard.action_confirm()
        plan = self.Plan.search([])
        self.assertRecordValues(plan, [{"state": "active", "origin": "staff", "decided_uid": self.salesperson.id}])
        self.assertEqual(len(plan.line_ids), 10, "staff may agree to more than the portal offers")

    @freeze_time("2026-11-05 08:00")
    def test_bad_input_saves_nothing(self):
        paid = self._invoice(self.client, "2026-10-02", 300.0)
        self._register_payment(paid)
        disputed = self._invoice(self.client, "2026-10-03", 400.0)
        disputed._agency_dispute("Wrong hours")
        stranger = self._invoice(self._client("Stranger SA"), "2026-10-03", 500.0)
        cases = [
            ({"months": 0}, "between 2 and 6"),
            ({"months": 1000}, "between 2 and 6"),
            ({"months": 7}, "between 2 and 6"),
            ({"months": 3, "first_amount": self.total + 1}, "must be less than the total"),
            ({"months": 3, "first_amount": -5.0}, "more than zero"),
            ({"months": 6, "first_amount": self.total - 10}, "at least"),
            ({"months": 3, "invoices": paid}, "already paid"),
            ({"months": 3, "invoices": disputed}, "disputed"),
            ({"months": 3, "invoices": stranger}, "not yours"),
            ({"months": "3"}, "number of monthly payments"),
        ]
        for kwargs, message in cases:
            with self.subTest(kwargs=kwargs), self.assertRaisesRegex(UserError, message):
                self._propose(kwargs.pop("months"), **kwargs)
        self._propose(3)
        with self.assertRaisesRegex(UserError, "already in a payment plan"):
            self._propose(2)
        self.assertEqual(self.Plan.sudo().search_count([]), 1)

    @freeze_time("2026-11-05 08:00")
    def test_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing_reminders"], ["fr_FR"], overwrite=True)
        self.portal_user.lang = "fr_FR"
        with self.assertRaisesRegex(UserError, "entre 2 et 6"):
            self._propose(1000)

    def test_statement_and_receipt_show_what_is_left(self):
        with freeze_time("2026-11-05 08:00"):
            plan = self._propose(3)
            first = plan.line_ids[0]
            payment = self._register_payment(self.invoice, amount=first.amount, payment_date="2026-11-05")
            receipt = payment.move_id._agency_receipt_values()
            self.assertEqual(len(receipt["plans"]), 1)
            self.assertAlmostEqual(receipt["plans"][0]["left"], self.total - first.amount)
            self.assertEqual(receipt["plans"][0]["next_date"], plan.line_ids[1].date)
            statement = self.env["agency.customer.statement"]._get_statement_data(self.client)
            self.assertEqual(statement["plans"][0]["plan"], plan)
            self.assertEqual([line["state"] for line in statement["plans"][0]["lines"]], ["paid", "due", "due"])
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    "agency_billing_reminders.action_report_agency_payment_receipt", payment.move_id.ids
                )[0]
                .decode()
            )
            self.assertIn("Payment plan", html)
            self.assertIn("left to pay", html)
