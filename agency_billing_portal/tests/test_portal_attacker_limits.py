"""What a careless customer or an attacker may do from the portal, bounded: amounts, holds, limits,
statement periods, spreadsheet text and receipts (issue 16)."""

import ast
import io
import os
import zipfile

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon

TODAY = "2026-11-22"


@tagged("post_install", "-at_install")
class TestPortalAttackerLimits(AgencyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.invoice = cls._make_invoice(cls.portal_partner, "2026-10-01", [3000.0, 40.0])
        cls.Hold = cls.env["agency.reminder.hold"].sudo()

    def _post(self, invoice, kind, **data):
        return self.url_open(
            f"/my/invoices/{invoice.id}/talk/{kind}", data={"csrf_token": http.Request.csrf_token(self), **data}
        )

    # ------------------------------------------------------------------ one amount parser
    @freeze_time(TODAY)
    def test_amount_parser(self):
        invoice = self.invoice.with_context(lang="en_US")
        self.assertEqual(invoice._agency_parse_payment_amount("3,040.00"), 3040.0, "the page's own format")
        self.assertEqual(invoice._agency_parse_payment_amount("3040"), 3040.0)
        self.assertEqual(invoice._agency_parse_payment_amount(" 12.5 "), 12.5)
        self.assertEqual(invoice._agency_parse_payment_amount(12.5), 12.5)
        self.assertEqual(invoice._agency_parse_payment_amount(0.1 + 0.2), 0.3, "a float's binary noise")
        for amount in ("-5", "-1", -5, "0", 0, "0.00", "-3,040.00"):
            with self.assertRaisesRegex(UserError, "more than zero"):
                invoice._agency_parse_payment_amount(amount)
        bad = ["", " ", None, True, "abc", "1,5", "1e309", "NaN", "Infinity", "inf", float("nan"), float("inf")]
        bad += ["1e3", "0x10", "12,34,567", "3.040,00", "1.2.3", "١٢", "10 USD", "$10", [10], {"a": 1}]
        for amount in bad:
            with self.assertRaises(UserError, msg=repr(amount)):
                invoice._agency_parse_payment_amount(amount)
        for amount in ("3040.01", 3040.01, "999999999999", 1e308):
            with self.assertRaises(UserError, msg=repr(amount)):
                invoice._agency_parse_payment_amount(amount)
        with self.assertRaisesRegex(UserError, "at most 2 decimals"):
            invoice._agency_parse_payment_amount("12.345")
        with self.assertRaisesRegex(UserError, "Write the amount"):
            invoice._agency_parse_payment_amount("  ")

    @freeze_time(TODAY)
    def test_amount_parser_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        invoice = self.invoice.with_context(lang="fr_FR")
        lang = self.env["res.lang"]._lang_get("fr_FR")
        shown = lang.format("%.2f", 3040.0, grouping=True)  # as the page shows it
        self.assertEqual(invoice._agency_parse_payment_amount(shown), 3040.0)
        self.assertEqual(invoice._agency_parse_payment_amount("3 040,00"), 3040.0)
        self.assertEqual(invoice._agency_parse_payment_amount("1,5"), 1.5)
        self.assertEqual(invoice._agency_parse_payment_amount("1.5"), 1.5, "a plain dot is always understood")
        with self.assertRaises(UserError):
            invoice._agency_parse_payment_amount("3,040.00")

    @freeze_time(TODAY)
    def test_refused_amount_keeps_the_selection(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice.id}&amount=-5")
        self.assertEqual(page.status_code, 400)
        self.assertIn("more than zero", page.text)
        self.assertIn(self.invoice.name, page.text, "the selection stays on the page")
        self.assertIn('id="agency_amount"', page.text)
        self.assertIn('value="-5"', page.text, "the amount as typed")
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice.id}&amount=3,040.00")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_form", page.text)

    # ------------------------------------------------------------------ holds the customer sees
    @freeze_time(TODAY)
    def test_customer_sees_only_what_it_raised(self):
        client = self.client_company
        client._agency_pause_reminders("2026-12-20", "Client is insolvent, do not chase")
        self.invoice._agency_pause_reminders("2026-12-10", "Staff only: lawyer involved")
        mine = self.invoice._agency_claim_paid(reference="BANK-4711", origin="portal")
        self.invoice._portal_ensure_token()
        self.authenticate(self.portal_user.login, self.portal_user.login)
        for url in (f"/my/invoices/{self.invoice.id}", "/my/account/billing"):
            page = self.url_open(url).text
            self.assertIn("BANK-4711", page, url)
            self.assertNotIn("insolvent", page, url)
            self.assertNotIn("lawyer", page, url)
        self.authenticate(None, None)  # anyone with the link
        page = self.url_open(f"/my/invoices/{self.invoice.id}?access_token={self.invoice.access_token}").text
        self.assertIn("BANK-4711", page)
        self.assertNotIn("lawyer", page)
        # through RPC too: the record rules
        self.assertEqual(self.Hold.with_user(self.portal_user).search([]), mine)

    @freeze_time(TODAY)
    def test_contact_kept_to_its_documents_reads_only_its_holds(self):
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.client_company.id})
        theirs = self._make_invoice(colleague, "2026-10-01", [500.0])
        their_hold = theirs._agency_claim_paid(origin="portal")
        mine = self.invoice._agency_claim_paid(origin="portal")
        Hold = self.Hold.with_user(self.portal_user)
        self.assertEqual(Hold.search([]), mine | their_hold)
        self.client_company.agency_portal_own_documents = True
        self.assertEqual(Hold.search([]), mine)
        with self.assertRaises(AccessError):
            their_hold.with_user(self.portal_user).read(["reason"])

    @freeze_time(TODAY)
    def test_customer_cannot_resolve_or_send(self):
        hold = self.invoice._agency_promise_to_pay("2026-12-01", origin="portal")
        with self.assertRaises(AccessError):
            hold.with_user(self.portal_user).action_resolve()
        self.assertEqual(hold.state, "open")
        for record in (self.client_company, self.invoice):
            with self.assertRaises(AccessError):
                record.with_user(self.portal_user).action_agency_send_next_step()
        self.assertFalse(self.env["agency.reminder.log"].search([("partner_id", "=", self.client_company.id)]))
        hold.with_user(self.agency_user).action_resolve()
        self.assertEqual(hold.state, "resolved")

    # ------------------------------------------------------------------ limits
    @freeze_time(TODAY)
    def test_promise_bounded_by_the_client_cadence(self):
        with self.assertRaisesRegex(ValidationError, "at most 30 days"):
            self.invoice._agency_promise_to_pay("2099-01-01", origin="portal")
        cadence = self.env["agency.reminder.cadence"].sudo().create({"name": "Patient", "max_promise_days": 60})
        self.client_company.agency_reminder_cadence_id = cadence
        self.invoice._agency_promise_to_pay("2027-01-15", origin="portal")
        with self.assertRaisesRegex(ValidationError, "already told us"):
            self.invoice._agency_promise_to_pay("2027-01-10", origin="portal")
        # staff agree to what they want
        self.invoice._agency_promise_to_pay("2027-06-30", note="Agreed with the CFO")

    @freeze_time(TODAY)
    def test_paid_claim_not_repeated_endlessly(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        self._post(self.invoice, "paid", reference="ONE")
        response = self._post(self.invoice, "paid", reference="TWO")
        self.assertIn("already told us", response.text)
        holds = self.Hold.search([("move_id", "=", self.invoice.id), ("kind", "=", "paid_claim")])
        self.assertEqual(len(holds), 1)
        holds.write({"state": "expired"})
        self._post(self.invoice, "paid", reference="TWO")
        self.Hold.search([("move_id", "=", self.invoice.id)]).write({"state": "expired"})
        response = self._post(self.invoice, "paid", reference="THREE")
        self.assertIn("contact the agency", response.text)
        self.assertEqual(self.Hold.search_count([("move_id", "=", self.invoice.id)]), 2)
        self.assertEqual(len(self.invoice.activity_ids), 2)

    @freeze_time(TODAY)
    def test_lengths_capped_and_text_kept_plain(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self._post(self.invoice, "dispute", reason="x" * 1001)
        self.assertIn("at most 1000 characters", response.text)
        response = self._post(self.invoice, "paid", reference="R" * 101)
        self.assertIn("at most 100 characters", response.text)
        self.assertFalse(self.Hold.search([("move_id", "=", self.invoice.id)]))
        evil = '<a href="https://evil.example">pay here</a><img src="https://evil.example/x.png">'
        self._post(self.invoice, "dispute", reason=evil)
        activity = self.invoice.activity_ids
        self.assertTrue(activity)
        self.assertNotIn("<a", str(activity.note))
        self.assertNotIn("<img", str(activity.note))
        self.assertIn("&lt;a href", str(activity.note))
        message = self.invoice.message_ids.filtered(lambda message: "evil" in str(message.body))
        self.assertNotIn("<a", str(message.body))

    # ------------------------------------------------------------------ statements
    @freeze_time(TODAY)
    def test_statement_periods_bounded(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        Document = self.env["agency.statement.document"]
        for query in (
            "date_from=0001-01-01&date_to=2026-11-21",
            "date_from=0001-01-01&date_to=0001-01-31",
            "date_from=2026-10-15&date_to=9999-12-31",
            "date_from=1900-01-01&date_to=2026-11-20",
        ):
            for url in ("/my/account/statement", "/my/account/statement/pdf", "/my/account/statement/xlsx"):
                response = self.url_open(f"{url}?{query}")
                self.assertLess(response.status_code, 500, (url, query))
        self.assertFalse(Document.search([("partner_id", "=", self.client_company.id)]), "no period asked once kept")
        page = self.url_open("/my/account/statement?date_from=2026-01-01&date_to=2099-12-31").text
        self.assertNotIn("2099", page, "never in the future")
        # a span longer than two years, once the client has entries that old
        self._make_invoice(self.portal_partner, "2022-01-10", [10.0])
        page = self.url_open("/my/account/statement?date_from=2022-01-01&date_to=2026-11-22").text
        self.assertIn("at most two years", page)
        # the default period, prepared ahead and downloaded again and again, is stored
        self.url_open("/my/account/statement/pdf")
        self.assertEqual(Document.search_count([("partner_id", "=", self.client_company.id)]), 1)

    @freeze_time(TODAY)
    def test_spreadsheet_text_is_never_a_formula(self):
        formula = '=HYPERLINK("https://evil.example","Click")'
        self.invoice.ref = formula  # the client's own reference, printed on the statement
        self._register_payment(self.invoice, amount=100.0, payment_date="2026-11-02", communication=formula)
        Statement = self.env["agency.customer.statement"]
        content = Statement._get_statement_xlsx(self.client_company, "2026-09-01", "2026-11-22")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertTrue(sheets)
        for sheet in sheets:
            self.assertNotIn("<f>", sheet)
        self.assertIn("HYPERLINK", strings)

    # ------------------------------------------------------------------ receipts
    @freeze_time(TODAY)
    def test_receipt_balance_after_that_payment(self):
        first = self._register_payment(self.invoice, amount=1040.0, payment_date="2026-10-20").move_id
        values = first._agency_receipt_values()
        self.assertAlmostEqual(values["balance"], 2000.0)
        self.assertAlmostEqual(values["lines"][0]["residual"], 2000.0)
        self._register_payment(self.invoice, amount=1500.0, payment_date="2026-11-10")
        first.invalidate_recordset()
        values = first._agency_receipt_values()
        self.assertAlmostEqual(values["balance"], 2000.0, msg="downloaded again later: the same balance")
        self.assertAlmostEqual(values["lines"][0]["residual"], 2000.0)

    @freeze_time(TODAY)
    def test_receipt_balance_of_a_contact_kept_to_its_documents(self):
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.client_company.id})
        self._make_invoice(colleague, "2026-10-01", [500.0])
        payment = self._register_payment(self.invoice, amount=40.0, payment_date="2026-10-20").move_id
        self.assertAlmostEqual(payment._agency_receipt_values()["balance"], 3500.0, msg="the whole client's")
        self.client_company.agency_portal_own_documents = True
        self.assertAlmostEqual(payment._agency_receipt_values()["balance"], 3000.0, msg="its own documents only")

    # ------------------------------------------------------------------ no test provider in production
    def test_no_test_provider_in_production(self):
        manifest_path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "__manifest__.py")
        with open(manifest_path, encoding="utf-8") as manifest:
            depends = ast.literal_eval(manifest.read())["depends"]
        self.assertNotIn("payment_demo", depends)
        module = self.env["ir.module.module"].search([("name", "=", "agency_billing_portal")])
        self.assertNotIn("payment_demo", module.dependencies_id.mapped("name"))
        # the demo's own setup enables Odoo's test provider only where payment_demo was installed for it
        self.assertTrue(self.env["payment.provider"]._agency_demo_enable_test_provider())
        self.assertEqual(self.env.ref("payment.payment_provider_demo").state, "test")
