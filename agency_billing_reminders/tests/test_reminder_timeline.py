from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestReminderTimeline(AgencyReminderCommon):
    """60 days of the scheduled run, twice a day: which client gets which message on which day."""

    def test_business_ladder_each_step_once(self):
        invoice = self._invoice(self.client_brand, "2026-09-01", 1000.0)  # due 2026-10-01
        with self.mock_mail_gateway():
            self._run_days("2026-09-25", 60)
        self.assertEqual(
            self._sent_days(self.client_company),
            {
                "2026-09-28": ["Friendly note before the due date"],
                "2026-10-04": ["First reminder"],
                "2026-10-16": ["Second reminder"],
                "2026-10-26": ["Third reminder"],
                "2026-11-02": ["Phone call"],
                "2026-11-07": ["Formal notice"],
            },
        )
        logs = self._logs(self.client_company)
        self.assertEqual(len(logs), 6)
        self.assertEqual(len(logs.step_id), 6, "each step once")
        self.assertEqual(set(logs.move_id), {invoice})
        mails = self._new_mails.filtered(lambda mail: mail.model == "agency.reminder.message")
        self.assertEqual(len(mails), 5, "the phone-call step is an activity, not a mail")
        self.assertTrue(all(mail.state == "outgoing" for mail in mails), "queued, sent by Odoo's mail queue")
        call = self._messages(self.client_company).filtered(lambda message: message.channels == "call")
        self.assertEqual(call.activity_id.user_id, self.salesperson)
        self.assertEqual(call.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        notice_message = self._messages(self.client_company).filtered(lambda message: message.channels == "mail,letter")
        notice = self.assertMailMail(
            self.client_brand,
            "outgoing",
            mail_message=notice_message.mail_id.mail_message_id,
            content=invoice.name,
            fields_values={"subject": f"{self.env.company.name}: formal notice about your unpaid invoices"},
        )
        self.assertEqual(len(notice.attachment_ids), 2, "the invoice and the statement")
        self.assertIn("1,000.00", notice.body_html)

    def test_each_profile_follows_its_cadence_in_its_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing_reminders"], ["fr_FR"], overwrite=True)
        town = self._client("Townhall of Springfield", profile="public")
        person = self._client("Pat Private", profile="private", lang="fr_FR")
        self._invoice(town, "2026-09-01", 800.0)  # due 2026-10-01
        self._invoice(person, "2026-09-01", 120.0)
        with self.mock_mail_gateway():
            self._run_days("2026-09-22", 60)
        self.assertEqual(
            self._sent_days(town),
            {
                "2026-09-24": ["Note before the due date"],
                "2026-10-11": ["First reminder"],
                "2026-10-31": ["Reminder letter"],
                "2026-11-20": ["Phone call"],
            },
        )
        self.assertEqual(
            self._sent_days(person),
            {
                "2026-09-28": ["Friendly note before the due date"],
                "2026-10-08": ["Gentle reminder"],
                "2026-10-22": ["Second reminder"],
                "2026-11-10": ["Phone call"],
            },
        )
        letter = self._messages(town).filtered(lambda message: message.channels == "letter")
        self.assertEqual(letter.activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertFalse(self.cadence_public.step_ids.filtered("charge_late_fee"), "no late fee by default")
        self.assertFalse(self.cadence_private.step_ids.filtered("charge_late_fee"), "no statutory business fee")
        gentle = self._messages(person)[1].mail_id
        self.assertEqual(gentle.recipient_ids, person)
        self.assertIn("120,00", gentle.body_html, "amounts and dates in the client's language")
        self.assertIn("01/10/2026", gentle.body_html)
        self.assertIn("Nous espérons que vous allez bien", gentle.body_html, "the template in French")
        self.assertIn("Montant dû", gentle.body_html, "the table in French")
        self.assertEqual(gentle.subject, f"{self.env.company.name} : un petit rappel")

    def test_one_message_per_client_listing_every_invoice(self):
        first = self._invoice(self.client_brand, "2026-09-01", 1000.0)  # due 2026-10-01
        second = self._invoice(self.client_department, "2026-09-02", 250.0)  # due 2026-10-02
        self._register_payment(second, amount=100.0)  # partly paid: reminded for the rest
        with self.mock_mail_gateway():
            self._run_days("2026-10-04", 3)
        message = self._messages(self.client_company)
        self.assertEqual(len(message), 1, "one message for both invoices")
        self.assertEqual(message.log_ids.move_id, first | second)
        self.assertEqual(sorted(message.log_ids.mapped("amount")), [150.0, 1000.0])
        self.assertMailMail(self.client_brand, "outgoing", content="150.00")

    def test_installments_each_with_its_own_amount(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 50.0, "nb_days": 0}),
                    (0, 0, {"value": "percent", "value_amount": 50.0, "nb_days": 30}),
                ],
            }
        )
        self.cadence_business.sudo().min_gap_days = 0  # the steps on their own dates, not spaced out
        invoice = self.init_invoice(
            "out_invoice", partner=self.client_brand, invoice_date="2026-09-01", amounts=[1000.0]
        )
        invoice.invoice_payment_term_id = term
        invoice.action_post()
        with self.mock_mail_gateway():
            self._run_days("2026-09-02", 40)
        logs = self._logs(self.client_company)
        first_reminders = logs.filtered(lambda log: log.step_id.name == "First reminder")
        self.assertEqual(len(first_reminders), 2, "each installment moves along its own steps")
        self.assertEqual(
            [(str(log.date), str(log.date_maturity)) for log in first_reminders],
            [("2026-09-04", "2026-09-01"), ("2026-10-04", "2026-10-01")],
        )
        half = invoice.amount_total / 2
        self.assertEqual(first_reminders.mapped("amount"), [half, half])
        self.assertIn("(installment)", first_reminders[0].message_id.lines_html)

    def test_letter_is_printable(self):
        town = self._client("Townhall of Shelbyville", profile="public")
        invoice = self._invoice(town, "2026-09-01", 800.0)
        self._run_days("2026-10-31", 1)
        letter = self._messages(town)
        self.assertEqual(letter.channels, "letter")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("agency_billing_reminders.action_report_reminder_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn(invoice.name, html)
        self.assertIn("Payment reminder", html)
        self.assertTrue(letter.action_print_letter(), "Print Letter opens the report (or the document layout first)")
