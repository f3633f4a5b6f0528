from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import AgencyReminderCommon


class DisputeCommon(AgencyReminderCommon):
    """Invoices with one project section per amount, and helpers to dispute one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.half_and_half = cls.env["account.payment.term"].create(
            {
                "name": "50 % at 30 days, 50 % at 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )
        cls.tax_10 = cls.env["account.tax"].create(
            {"name": "VAT 10 %", "amount": 10.0, "amount_type": "percent", "type_tax_use": "sale"}
        )

    @classmethod
    def _sectioned(cls, partner, date, sections, terms=None, *, company=None, taxes=None):
        """A posted invoice with a project section per ``(name, amount)``."""
        company = company or cls.env.company
        lines = []
        for name, amount in sections:
            lines.append(Command.create({"display_type": "line_section", "name": name}))
            lines.append(
                Command.create(
                    {
                        "name": f"{name}: work",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.set(taxes.ids if taxes else [])],
                    }
                )
            )
        values = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_date": date,
            "date": date,
            "invoice_line_ids": lines,
        }
        if terms:
            values["invoice_payment_term_id"] = terms.id
        invoice = cls.env["account.move"].with_company(company).create(values)
        invoice.action_post()
        return invoice

    @staticmethod
    def _section(invoice, name):
        return invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section" and line.name == name)

    def _dispute(self, invoice, name, day):
        with freeze_time(day):
            return invoice._agency_dispute("Never delivered", section_line=self._section(invoice, name))


@tagged("post_install", "-at_install")
class TestReminderDisputes(DisputeCommon):
    """A disputed project section is counted once per invoice, taxes included, spread over its installments,
    and neither chased nor charged from the day it is disputed; one method says how much it is."""

    def test_section_disputed_once_over_the_installments(self):
        client = self._client("Split Ltd")
        invoice = self._sectioned(client, "2026-09-01", [("Website", 800.0), ("Print", 1200.0)], self.half_and_half)
        self.assertEqual(sorted(invoice._agency_installment_lines().mapped("amount_currency")), [1000.0, 1000.0])
        self._dispute(invoice, "Website", "2026-09-10")
        self.assertEqual(invoice._agency_disputed_amounts(), {invoice: 800.0})
        self.assertEqual(sorted(invoice._agency_disputed_installments().values()), [400.0, 400.0])
        # both installments are due on 2026-11-05: 1,200.00 is asked, not 2 x 200.00
        plan = self.env["res.partner"]._agency_reminder_plan(fields.Date.to_date("2026-11-05"), partners=client)
        entries = plan[client.id, self.env.company.id]["send"]
        self.assertEqual([entry["amount"] for entry in entries], [600.0, 600.0])
        self.assertEqual([entry["amount_company"] for entry in entries], [600.0, 600.0])
        with self.mock_mail_gateway(), freeze_time("2026-11-05"):
            self._run("2026-11-05")
        self.assertEqual(self._logs(client).mapped("amount"), [600.0, 600.0])
        self.assertIn("1,200.00", self._messages(client).lines_html)
        # once the client has paid what is not disputed, nothing is chased any more
        self._register_payment(invoice, amount=1200.0, payment_date="2026-11-12")
        self.assertEqual(invoice._agency_disputed_amounts(), {invoice: 800.0})
        self.assertAlmostEqual(sum(invoice._agency_disputed_installments().values()), 800.0)
        plan = self.env["res.partner"]._agency_reminder_plan(fields.Date.to_date("2026-12-10"), partners=client)
        client_plan = plan[client.id, self.env.company.id]
        self.assertFalse(client_plan["send"])
        self.assertEqual({entry["reason"] for entry in client_plan["held"]}, {"disputed"})

    def test_disputed_amount_is_taxed_and_the_same_for_the_statement(self):
        client = self._client("Taxed Ltd")
        invoice = self._sectioned(client, "2026-09-01", [("Website", 800.0), ("Print", 1200.0)], taxes=self.tax_10)
        self._dispute(invoice, "Website", "2026-09-10")
        self.assertEqual(invoice._agency_disputed_amounts(), {invoice: 880.0}, "taxes included")
        with freeze_time("2026-11-22"):
            data = client._agency_statement_data(date_to="2026-11-22")
        self.assertEqual(data["currencies"][0]["disputed"], 880.0)
        # a section disputed twice is counted once; a resolved dispute no longer counts
        hold = self._dispute(invoice, "Website", "2026-09-12")
        self.assertEqual(invoice._agency_disputed_amounts(), {invoice: 880.0})
        (hold | invoice.agency_reminder_hold_ids).action_resolve()
        self.assertEqual(invoice._agency_disputed_amounts(), {})
        self.assertEqual(invoice._agency_disputed_amounts("2026-09-11"), {invoice: 880.0}, "as it was then")

    def test_notice_and_interest_leave_the_disputed_section_out(self):
        """An invoice of 2,000.00 with an 800.00 section disputed: the formal notice asks for 1,200.00 and the
        statutory interest charged the same day is on 1,200.00."""
        client = self._client("Retard SARL")
        client.country_id = self.env.ref("base.fr")
        self.env["agency.reference.rate"].create({"date_from": "2026-07-01", "rate": 2.15})
        invoice = self._sectioned(client, "2026-09-01", [("Website", 800.0), ("Print", 1200.0)])  # due 10-01
        self._dispute(invoice, "Website", "2026-09-20")
        with self.mock_mail_gateway():
            self._run_days("2026-11-07", 1, twice=False)  # 37 days late: the formal notice
        notice = self._logs(client).filtered(lambda log: log.step_id.charge_late_fee)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.amount, 1200.0, "the notice asks for what is not disputed")
        interest = invoice.agency_late_fee_ids.filtered(lambda fee: fee.component == "interest")
        days = (notice.date - invoice.invoice_date_due).days
        self.assertEqual(interest.amount, invoice.currency_id.round(1200.0 * 0.1015 * days / 365))
        self.assertIn("1,200.00", interest.fee_move_id.invoice_line_ids.filtered("price_unit")[0].name)

    @freeze_time("2026-06-10")
    def test_no_interest_on_the_disputed_part_from_the_day_it_is_disputed(self):
        client = self._client("Midway Ltd")
        invoice = self._sectioned(client, "2026-05-01", [("Website", 800.0), ("Print", 1200.0)])  # due 05-31
        self._dispute(invoice, "Website", "2026-06-06")
        policy = self.env["agency.late.fee.policy"].create(
            {"name": "0.1 % a day", "kind": "interest", "annual_rate": 36.5, "currency_id": invoice.currency_id.id}
        )
        fee = invoice._agency_charge_late_fee(policy, fields.Date.to_date("2026-06-10"))
        # 06-01..05: 5 days on 2,000.00 = 10.00; from 06-06, the day it is disputed: 5 days on 1,200.00 = 6.00
        self.assertEqual(fee.invoice_line_ids.mapped("price_unit"), [10.0, 6.0])
        percent = self.env["agency.late.fee.policy"].create(
            {"name": "10 %", "kind": "percent", "percent": 10.0, "currency_id": invoice.currency_id.id}
        )
        self.assertEqual(
            invoice._agency_charge_late_fee(percent, fields.Date.to_date("2026-06-10")).amount_total, 120.0
        )

    @freeze_time("2026-06-10")
    def test_a_dispute_resolved_against_the_client_runs_again(self):
        client = self._client("Resolved Ltd")
        invoice = self._sectioned(client, "2026-05-01", [("Website", 800.0), ("Print", 1200.0)])  # due 05-31
        hold = self._dispute(invoice, "Website", "2026-06-06")
        with freeze_time("2026-06-08"):
            hold.action_resolve()
        policy = self.env["agency.late.fee.policy"].create(
            {"name": "0.1 % a day", "kind": "interest", "annual_rate": 36.5, "currency_id": invoice.currency_id.id}
        )
        fee = invoice._agency_charge_late_fee(policy, fields.Date.to_date("2026-06-10"))
        # 5 days on 2,000.00, 2 days (06-06, 06-07) on 1,200.00, 3 days on 2,000.00 again
        self.assertEqual(fee.invoice_line_ids.mapped("price_unit"), [10.0, 2.4, 6.0])

    @freeze_time("2026-06-10")
    def test_no_fee_at_all_on_an_invoice_disputed_section_by_section(self):
        client = self._client("All Wrong Ltd")
        invoice = self._sectioned(client, "2026-05-01", [("Website", 800.0), ("Print", 1200.0)])
        self._dispute(invoice, "Website", "2026-05-20")
        self._dispute(invoice, "Print", "2026-05-20")
        fixed = self.env["agency.late.fee.policy"].create(
            {"name": "Fixed", "kind": "fixed", "fixed_amount": 50.0, "currency_id": invoice.currency_id.id}
        )
        self.assertFalse(invoice._agency_charge_late_fee(fixed, fields.Date.to_date("2026-06-10")))


@tagged("post_install", "-at_install")
class TestReferenceRate(DisputeCommon):
    """Statutory interest needs the reference rate of its half-year: without it, none is charged (the rest
    of the fee is), the log and the invoice say why, and the billing manager is told once per half-year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["agency.late.fee.policy"].create(
            {
                "name": "Statutory",
                "kind": "interest",
                "use_reference_rate": True,
                "annual_rate": 8.0,
                "compensation_amount": 40.0,
                "currency_id": cls.env.company.currency_id.id,
            }
        )

    @freeze_time("2026-08-20")
    def test_no_interest_without_the_rate_of_the_period(self):
        client = self._client("Late Ltd")
        invoice = self._invoice(client, "2026-07-01", 1000.0)  # due 2026-07-31; the shipped rates stop in 2025
        fee = invoice._agency_charge_late_fee(self.policy, fields.Date.to_date("2026-08-20"))
        self.assertEqual(fee.agency_late_fee_charge_ids.mapped("component"), ["compensation"], "no interest")
        self.assertTrue(any("no statutory interest" in body for body in invoice.message_ids.mapped("body")))
        # entered later, the rate gives the interest of the whole period, not lost
        self.env["agency.reference.rate"].create({"date_from": "2026-07-01", "rate": 2.0})
        with freeze_time("2026-08-25"):
            later = invoice._agency_charge_late_fee(self.policy, fields.Date.to_date("2026-08-25"))
        interest = later.agency_late_fee_charge_ids
        self.assertEqual((str(interest.date_from), str(interest.date_to)), ("2026-08-01", "2026-08-25"))
        self.assertEqual(interest.amount, invoice.currency_id.round(1000.0 * 0.10 * 25 / 365))

    @freeze_time("2026-07-10")
    def test_interest_stops_where_the_rate_is_missing(self):
        self.env["agency.reference.rate"].create({"date_from": "2026-01-01", "rate": 2.0})
        invoice = self._invoice(self._client("Half Ltd"), "2026-05-21", 1000.0)  # due 2026-06-20
        fee = invoice._agency_charge_late_fee(self.policy, fields.Date.to_date("2026-07-10"))
        interest = fee.agency_late_fee_charge_ids.filtered(lambda charge: charge.component == "interest")
        self.assertEqual((str(interest.date_from), str(interest.date_to)), ("2026-06-21", "2026-06-30"))
        self.assertEqual(interest.amount, invoice.currency_id.round(1000.0 * 0.10 * 10 / 365))

    def test_the_reminder_log_says_why(self):
        client = self._client("Retard SARL")
        client.country_id = self.env.ref("base.fr")
        invoice = self._invoice(client, "2026-10-01", 1000.0)  # due 2026-10-31, no 2026 rate
        with self.mock_mail_gateway():
            self._run_days("2026-12-07", 1, twice=False)  # 37 days late: the formal notice
        notice = self._logs(client).filtered(lambda log: log.step_id.charge_late_fee)
        self.assertEqual(len(notice), 1)
        self.assertIn("no statutory interest", notice.note)
        self.assertIn("reference rate", notice.note)
        components = invoice.agency_late_fee_ids.mapped("component")
        self.assertEqual(components, ["compensation"])

    def test_the_billing_manager_is_told_once_per_half_year(self):
        manager = self.env["res.users"].create(
            {
                "name": "Mia Manager",
                "login": "mia.manager",
                "email": "mia@agency.example.com",
                "group_ids": [Command.set(self.env.ref("agency_billing.group_agency_billing_manager").ids)],
            }
        )
        cron = self.env.ref("agency_billing_reminders.ir_cron_agency_check_reference_rate")
        self.assertEqual(cron.code, "model._cron_agency_check_reference_rate()")
        Rate = self.env["agency.reference.rate"]
        Activity = self.env["mail.activity"]

        def activities():
            return Activity.search([("res_model", "=", "agency.late.fee.policy"), ("res_id", "=", self.policy.id)])

        with freeze_time("2026-07-01"):
            Rate._cron_agency_check_reference_rate()
        self.assertEqual(len(activities()), 1)
        self.assertIn(activities().user_id, manager | self.env.ref("base.user_admin"))
        self.assertIn("reference rate", activities().summary)
        for day in ("2026-07-02", "2026-09-30"):
            with freeze_time(day):
                Rate._cron_agency_check_reference_rate()
        self.assertEqual(len(activities()), 1, "once per half-year, not every day")
        self.env["agency.reference.rate"].create({"date_from": "2027-01-01", "rate": 2.0})
        with freeze_time("2027-01-02"):
            Rate._cron_agency_check_reference_rate()
        self.assertEqual(len(activities()), 1, "the rate of 2027 is there: nothing to say")
        with freeze_time("2027-07-01"):
            Rate._cron_agency_check_reference_rate()
        self.assertEqual(len(activities()), 2, "a new half-year without its rate")

    def test_a_rate_applies_to_its_half_year_only(self):
        """The last rate never carries over: the half-year after the last shipped rate has none."""
        Rate = self.env["agency.reference.rate"]
        day = fields.Date.to_date
        periods = Rate._agency_rates_between(day("2025-12-20"), day("2026-01-10"), self.env.company)
        self.assertEqual(periods, [(day("2025-12-20"), 2.15), (day("2026-01-01"), None)])
        self.assertEqual(Rate._agency_half_year(day("2026-12-31")), day("2026-07-01"))
