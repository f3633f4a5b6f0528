from unittest.mock import patch
from urllib.parse import unquote

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon

TODAY = "2026-11-22"


@tagged("post_install", "-at_install")
class TestPortalReceipts(AgencyPortalCommon, HttpCase):
    """The customer downloads the receipt of each of its payments from the portal, and no one else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.invoice = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.payment = cls._register_payment(cls.invoice, amount=400.0, payment_date="2026-10-20").move_id
            theirs = cls._make_invoice(cls.other_user.partner_id, "2026-10-01", [7777.77])
            cls.theirs = cls._register_payment(theirs, payment_date="2026-10-21").move_id
            company_2 = cls.setup_other_company(name="Initech Agency")["company"]
            cls.foreign = cls._customer_payment(cls.portal_partner, 6666.66, company=company_2)

    def _assert_refused(self, response, what):
        self.assertLess(response.status_code, 500, what)
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""), what)
        self.assertFalse(response.content.startswith(b"%PDF"), what)
        for secret in ("7,777.77", "6,666.66", "Globex", "Initech"):
            self.assertNotIn(secret, response.text, what)

    @freeze_time(TODAY)
    def test_download_own_receipt(self):
        """A real PDF, named as the receipt is when mailed."""
        self.assertTrue(self.payment)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        Report = type(self.env["ir.actions.report"])
        pre_render = Report._pre_render_qweb_pdf

        def force_pdf(report, *args, **kwargs):  # tests render PDFs as HTML unless told otherwise
            return pre_render(report.with_context(force_report_rendering=True), *args, **kwargs)

        with patch.object(Report, "_pre_render_qweb_pdf", force_pdf):
            response = self.url_open(f"/my/account/receipt/{self.payment.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        filename = unquote(response.headers["Content-Disposition"])
        self.assertIn(f"Receipt - {self.payment.name.replace('/', '-')}.pdf", filename)

    @freeze_time(TODAY)
    def test_receipt_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing_reminders"], ["fr_FR"], overwrite=True)
        self.portal_user.lang = "fr_FR"
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/account/receipt/{self.payment.id}")  # HTML in test mode
        self.assertEqual(response.status_code, 200)
        self.assertIn("Reçu - ", unquote(response.headers["Content-Disposition"]))
        self.assertIn("Merci pour votre paiement", response.text)
        self.assertIn(self.invoice.name, response.text)

    @freeze_time(TODAY)
    def test_receipt_links_on_statement_and_account_page(self):
        paid = {
            day: self._customer_payment(self.portal_partner, 20.0 + day, date=f"2026-11-{day:02d}")
            for day in range(1, 6)
        }
        older, newer = [paid[1], paid[2]], [paid[3], paid[4], paid[5]]
        refund = self._customer_payment(self.portal_partner, 5.0, payment_type="outbound")
        self.authenticate(self.portal_user.login, self.portal_user.login)
        statement = self.url_open("/my/account/statement?date_from=2026-10-01&date_to=2026-11-22").text
        for move in (self.payment, *older, *newer):
            self.assertIn(f'href="/my/account/receipt/{move.id}"', statement, move.name)
        # money paid back to the customer has no receipt, and another client's payment is not there
        self.assertIn(refund.name, statement)
        self.assertNotIn(f"/my/account/receipt/{refund.id}", statement)
        self.assertNotIn(f"/my/account/receipt/{self.theirs.id}", statement)
        page = self.url_open("/my/account/billing").text
        self.assertIn("agency_recent_payments", page)
        # the last five, newest first; the others are on the statement
        links = [f'href="/my/account/receipt/{move.id}"' for move in (*reversed(newer), older[1], older[0])]
        positions = [page.find(link) for link in links]
        self.assertTrue(all(position > 0 for position in positions), positions)
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn(f"/my/account/receipt/{self.payment.id}", page)
        self.assertIn("24.00", page)
        self.assertIn('href="/my/account/statement"', page)
        self.assertNotIn("7,777.77", page)
        self.assertNotIn("6,666.66", page)

    @freeze_time(TODAY)
    def test_other_receipts_refused(self):
        refund = self._customer_payment(self.portal_partner, 5.0, payment_type="outbound")
        cancelled = self._customer_payment(self.portal_partner, 5.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        self.assertEqual(cancelled.state, "cancel")
        self.authenticate(self.portal_user.login, self.portal_user.login)
        refused = self.theirs | self.foreign | self.invoice | refund | cancelled
        for move_id in (*refused.ids, 0, 999999999, 2**40):
            response = self.url_open(f"/my/account/receipt/{move_id}")
            self._assert_refused(response, move_id)
            self.assertTrue(response.url.endswith("/my/account/billing"), move_id)
            self.assertIn("This payment receipt is not available", response.text, move_id)
        for garbage in ("abc", "-1", "1.5", f"{self.theirs.id}abc"):
            response = self.url_open(f"/my/account/receipt/{garbage}")
            self._assert_refused(response, garbage)
            self.assertTrue(response.status_code == 404 or response.url.endswith("/my/account/billing"), garbage)
        # another client's user is refused ours
        self.authenticate(self.other_user.login, self.other_user.login)
        response = self.url_open(f"/my/account/receipt/{self.payment.id}")
        self.assertFalse(response.content.startswith(b"%PDF"))
        self.assertTrue(response.url.endswith("/my/account/billing"))
        self.assertNotIn(self.payment.name, response.text)

    @freeze_time(TODAY)
    def test_contact_kept_to_its_documents(self):
        """A contact of a client that keeps contacts to their documents gets only its own payments' receipts."""
        self.client_company.agency_portal_own_documents = True
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.client_company.id})
        mine = self._customer_payment(self.portal_partner, 111.0)
        theirs = self._customer_payment(colleague, 333.0)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/account/receipt/{mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.name, response.text)
        for move in (theirs, self.payment):  # the company's own payment is not the contact's either
            response = self.url_open(f"/my/account/receipt/{move.id}")
            self._assert_refused(response, move.name)
            self.assertNotIn("333.00", response.text)
            self.assertTrue(response.url.endswith("/my/account/billing"))
        page = self.url_open("/my/account/billing").text
        self.assertIn(f"/my/account/receipt/{mine.id}", page)
        self.assertNotIn(f"/my/account/receipt/{theirs.id}", page)
        self.assertNotIn("333.00", page)
        self.assertNotIn('href="/my/account/statement"', page)

    @freeze_time(TODAY)
    def test_bank_transfer_receipt(self):
        """Money received on the bank statement has its receipt too; money paid back to the client has none."""
        receivable = self.invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        deposit, payout = (
            self.env["account.bank.statement.line"]
            .create(
                {
                    "journal_id": self.company_data["default_journal_bank"].id,
                    "date": "2026-11-15",
                    "payment_ref": reference,
                    "partner_id": self.portal_partner.id,
                    "amount": amount,
                    "counterpart_account_id": receivable.account_id.id,
                }
            )
            .move_id
            for reference, amount in (("Bank transfer 0042", 150.0), ("Paid back 0043", -20.0))
        )
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open("/my/account/billing").text
        self.assertIn(f"/my/account/receipt/{deposit.id}", page)
        self.assertIn("Bank transfer 0042", page)
        self.assertNotIn(f"/my/account/receipt/{payout.id}", page)
        response = self.url_open(f"/my/account/receipt/{deposit.id}")  # HTML in test mode
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bank transfer 0042", response.text)
        response = self.url_open(f"/my/account/receipt/{payout.id}")
        self._assert_refused(response, "paid back")
        self.assertTrue(response.url.endswith("/my/account/billing"))
