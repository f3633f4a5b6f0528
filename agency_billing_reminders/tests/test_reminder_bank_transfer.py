import base64

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date

from odoo.addons.agency_billing.tests.bank_common import ACME_IBAN, AGENCY_IBAN, BankMatchingCommon
from odoo.addons.agency_billing.tests.camt import camt053

from .common import AgencyReminderCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
@freeze_time("2026-11-10")
class TestReminderBankTransfer(AgencyReminderCommon):
    """Money on its way: a transfer from the client arrived but is not matched yet, so no reminder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company._agency_use_structured_references()
        cls.invoice = cls._invoice(cls.client_brand, "2026-10-01", 1000.0)
        cls.journal = BankMatchingCommon._bank_journal.__func__(cls, cls.env.company, AGENCY_IBAN)
        cls.env["res.partner.bank"].create({"partner_id": cls.client_company.id, "acc_number": ACME_IBAN})

    def _receive(self, amount, day):
        data = camt053(
            AGENCY_IBAN,
            [{"amount": amount, "iban": ACME_IBAN, "name": "ACME CORP", "ustrd": "our payment", "date": day}],
            currency=self.env.company.currency_id.name,
            statement_id=f"S-{day}",
            day=day,
        )
        self.env["account.statement.import"].with_context(journal_id=self.journal.id).create(
            {"statement_file": base64.b64encode(data), "statement_filename": "bank.xml"}
        ).import_file_button()

    def test_unmatched_transfer_holds_reminders_for_some_days(self):
        self.assertFalse(self.client_company._agency_reminder_hold_reasons(D("2026-11-10"), forced=True))
        self._receive(600.0, D("2026-11-09"))
        self.assertEqual(self.invoice.payment_state, "not_paid", "600 of 1,000: not certain, not matched")
        reasons = self.client_company._agency_reminder_hold_reasons(D("2026-11-10"), forced=True)
        self.assertIn("is being matched", reasons or "")
        self.assertIn(format_date(self.env, D("2026-11-09")), reasons, "in the user's date format")
        with freeze_time("2026-11-20"):
            later = self.client_company._agency_reminder_hold_reasons(D("2026-11-20"), forced=True)
            self.assertNotIn("is being matched", later or "")

    def test_the_run_logs_the_hold(self):
        self._receive(600.0, D("2026-11-09"))
        self._run(D("2026-11-10"))
        self.assertFalse(self._logs(self.client_company))
        held = self._logs(self.client_company, state="held")
        self.assertTrue(held)
        self.assertIn("is being matched", held[0].reason)

    def test_no_hold_when_the_company_says_zero_days(self):
        self.env.company.agency_bank_transfer_hold_days = 0
        self._receive(600.0, D("2026-11-09"))
        reasons = self.client_company._agency_reminder_hold_reasons(D("2026-11-10"), forced=True)
        self.assertNotIn("is being matched", reasons or "")

    def test_a_transfer_that_pays_leaves_nothing_to_remind(self):
        self._receive(1000.0, D("2026-11-09"))
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.client_company._agency_reminder_hold_reasons(D("2026-11-10"), forced=True))

    def test_the_reminder_shows_the_payment_reference(self):
        self.assertTrue(self.invoice.payment_reference.startswith("RF"))
        self._run(D("2026-11-10"))
        message = self.env["agency.reminder.message"].search([("partner_id", "=", self.client_company.id)])
        self.assertTrue(message)
        self.assertIn(self.invoice.payment_reference, message[0].lines_html)
