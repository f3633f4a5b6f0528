from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import AgencyReminderCommon
from .receipt_common import AgencyReceiptMixin


@tagged("post_install", "-at_install")
class TestReminderCompanies(AgencyReminderCommon):
    """A client of two companies: planned, sent, logged and charged per client and company (as OCA's credit
    control groups per partner, company and currency); each company's cadence, letterhead and sender."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        cls.company_1.email = "billing@first-agency.example.com"
        cls.company_2 = cls.setup_other_company(name="Northwind Agency")["company"]
        cls.company_2.email = "billing@northwind.example.com"
        cls.env.user.company_ids |= cls.company_1 | cls.company_2
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=(cls.company_1 | cls.company_2).ids))
        cls.client = cls._client("OpenWood")

    @classmethod
    def _invoice_in(cls, company, amount, date="2026-09-01"):
        invoice = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.client.id,
                    "company_id": company.id,
                    "invoice_date": date,
                    "invoice_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
                    "invoice_line_ids": [
                        Command.create({"name": "Work", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    @freeze_time("2026-10-04")
    def test_one_message_per_company_with_its_own_letterhead_and_sender(self):
        first = self._invoice_in(self.company_1, 1000.0)
        second = self._invoice_in(self.company_2, 500.0)
        with self.mock_mail_gateway():
            self._run("2026-10-04")
        messages = self._messages(self.client)
        self.assertEqual(len(messages), 2, "one message per company")
        by_company = {message.company_id: message for message in messages}
        self.assertEqual(by_company[self.company_1].log_ids.move_id, first)
        self.assertEqual(by_company[self.company_2].log_ids.move_id, second)
        self.assertEqual(by_company[self.company_1]._agency_totals(), [(first.currency_id, 1000.0)])
        self.assertEqual(by_company[self.company_2]._agency_totals(), [(second.currency_id, 500.0)])
        for company, message in by_company.items():
            self.assertIn(company.email, message.mail_id.email_from)
            self.assertIn(company.name, message.mail_id.subject)
            other = (self.company_1 | self.company_2) - company
            self.assertNotIn(other.name, message.mail_id.body_html)
        letter = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "agency_billing_reminders.action_report_reminder_letter", by_company[self.company_2].ids
            )[0]
            .decode()
        )
        self.assertIn("Northwind Agency", letter)
        self.assertNotIn("1,000.00", letter, "the other company's invoice (of the same number) is not listed")
        # every line of each message is in the history of its company
        for company, message in by_company.items():
            history = (
                self.env["agency.reminder.log"]
                .with_company(company)
                .search([("partner_id", "=", self.client.id), ("company_id", "=", company.id)])
            )
            self.assertEqual(history, message.log_ids)

    @freeze_time("2026-10-04")
    def test_minimum_amount_per_company(self):
        self.cadence_business.sudo().minimum_amount = 800.0
        self._invoice_in(self.company_1, 1000.0)
        second = self._invoice_in(self.company_2, 500.0)
        with self.mock_mail_gateway():
            self._run("2026-10-04")
        self.assertEqual(self._messages(self.client).company_id, self.company_1, "500.00 is below 800.00")
        held = self._logs(self.client, "held")
        self.assertEqual(held.move_id, second)
        self.assertIn("below the minimum amount", held.reason)

    @freeze_time("2026-10-04")
    def test_each_company_its_cadence(self):
        own = (
            self.env["agency.reminder.cadence"]
            .sudo()
            .create(
                {
                    "name": "Northwind business",
                    "sequence": 1,
                    "company_id": self.company_2.id,
                    "client_profile": "business",
                    "step_ids": [Command.create({"name": "Northwind first", "days": 2, "action": "email"})],
                }
            )
        )
        first = self._invoice_in(self.company_1, 1000.0)
        second = self._invoice_in(self.company_2, 500.0)
        Cadence = self.env["agency.reminder.cadence"]
        self.assertEqual(
            Cadence._agency_cadence_for(self.client, self.company_1)[self.client.id], self.cadence_business
        )
        self.assertEqual(Cadence._agency_cadence_for(self.client, self.company_2)[self.client.id], own)
        with self.mock_mail_gateway():
            self._run("2026-10-04")
        steps = {log.move_id: log.step_id.name for log in self._logs(self.client)}
        self.assertEqual(steps, {first: "First reminder", second: "Northwind first"})
        # a client's own cadence of another company does not apply
        self.client.agency_reminder_cadence_id = own
        self.assertEqual(
            Cadence._agency_cadence_for(self.client, self.company_1)[self.client.id], self.cadence_business
        )

    @freeze_time("2026-11-22")
    def test_account_summary_never_adds_two_companies(self):
        self._invoice_in(self.company_1, 1000.0)
        self._invoice_in(self.company_2, 500.0)
        summary = self.client._agency_account_summary()[self.client.id]
        self.assertEqual((summary["balance"], summary["overdue"], summary["overdue_count"]), (1000.0, 1000.0, 1))
        other = self.client._agency_account_summary(company=self.company_2)[self.client.id]
        self.assertEqual((other["balance"], other["overdue"]), (500.0, 500.0))
        self.assertEqual(self.client.with_company(self.company_2).agency_overdue_amount, 500.0)


@tagged("post_install", "-at_install")
class TestWhatWasSentIsWhatStaffSee(AgencyReminderCommon, AgencyReceiptMixin):
    """Each shipped step has its own message; Late Clients shows the last step sent for the money overdue;
    receipts go to the billing contacts, as reminders do."""

    def test_each_step_of_a_shipped_cadence_has_its_own_template(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "agency_billing_reminders"), ("model", "=", "agency.reminder.cadence")]
        )
        cadences = self.env["agency.reminder.cadence"].browse(data.mapped("res_id"))
        self.assertEqual(len(cadences), 3)
        for cadence in cadences:
            steps = cadence.step_ids.filtered("mail_template_id")
            self.assertEqual(
                len(steps.mail_template_id), len(steps), f"{cadence.name}: two steps go out with the same message"
            )
        third = self.env.ref("agency_billing_reminders.step_business_3")
        self.assertIn("third reminder", third.mail_template_id.subject)

    def test_late_clients_current_step_is_the_last_step_sent(self):
        self.env.user.group_ids += self.env.ref("agency_billing.group_agency_billing_user")
        today = fields.Date.context_today(self.env.user)
        client = self._client("Fifteen Days Ltd")
        late = self._invoice(client, today - relativedelta(days=45), 1000.0)  # due 15 days ago
        self._invoice(client, today - relativedelta(days=27), 300.0)  # due in 3 days: the friendly note
        with self.mock_mail_gateway():
            client._agency_send_reminders(today)
        self.assertEqual(
            sorted(self._logs(client).step_id.mapped("name")), ["Friendly note before the due date", "Second reminder"]
        )
        row = self.env["agency.late.client"].search([("partner_id", "=", client.id)])
        self.assertEqual(row.step_id.name, "Second reminder")
        self.assertEqual(row.amount_overdue, late.amount_total)
        self.assertEqual(row.last_reminder_date, today)
        groups = self.env["agency.late.client"]._read_group(
            [("partner_id", "=", client.id)], ["step_id"], ["amount_overdue:sum"]
        )
        biggest = max(groups, key=lambda group: group[1])[0]
        self.assertNotEqual(biggest.days, -3, "money overdue never sits under the friendly note")

    def test_receipts_go_to_the_billing_contacts(self):
        # Acme Corp's general address is billing@acme.example.com; its billing contact is Acme Rockets
        invoice = self.init_invoice(
            "out_invoice", partner=self.client_company, invoice_date="2026-11-01", amounts=[100.0], post=True
        )
        self._register_payment(invoice, payment_date="2026-11-20")
        mails = self._send_receipts()
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.client_brand, "not the general address")
