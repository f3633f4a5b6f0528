import io

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccountPage(AgencyPortalCommon, HttpCase):
    """My account: balance, overdue, ageing, next due date; the statement as a page, PDF and spreadsheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22"):
            cls.old = cls._make_invoice(cls.portal_partner, "2026-08-01", [900.0])
            cls.overdue = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.open = cls._make_invoice(cls.portal_partner, "2026-11-20", [500.0])
            cls._register_payment(cls.old, amount=900.0, payment_date="2026-09-15")
            cls.other_invoice = cls._make_invoice(cls.other_user.partner_id, "2026-10-01", [777.0])

    @freeze_time("2026-11-22")
    def test_account_page(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open("/my/account/billing")
        self.assertEqual(page.status_code, 200)
        text = page.text
        self.assertIn("1,500.00", text)  # balance
        self.assertIn("agency_overdue text-danger", text)
        # ageing: the invoice due on 2026-10-31 is 22 days late, the other one not due yet
        self.assertRegex(text, r'agency_bucket_1_30"[^>]*>[^<]*<span[^>]*>1,000\.00')
        self.assertRegex(text, r'agency_bucket_current"[^>]*>[^<]*<span[^>]*>500\.00')
        self.assertIn("12/20/2026", text)  # next due date
        self.assertNotIn("777.00", text)
        # linked from the card on /my
        self.assertIn("/my/account/billing", self.url_open("/my").text)

    @freeze_time("2026-11-22")
    def test_statement_page_with_running_balance(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open("/my/account/statement?date_from=2026-08-01&date_to=2026-11-22")
        self.assertEqual(page.status_code, 200)
        text = page.text
        for invoice in self.old | self.overdue | self.open:
            self.assertIn(invoice.name, text)
        self.assertIn("agency_kind_payment", text)
        self.assertIn("agency_closing", text)
        self.assertIn("1,500.00", text)  # closing balance
        self.assertNotIn("777.00", text)

    @freeze_time("2026-11-22")
    def test_statement_bad_period(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        for query in ("date_from=2026-12-01&date_to=2026-01-01", "date_from=abc&date_to=2026-13-45"):
            page = self.url_open(f"/my/account/statement?{query}")
            self.assertEqual(page.status_code, 200, query)
            self.assertIn("agency_error", page.text, query)

    @freeze_time("2026-11-22")
    def test_statement_downloads(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        xlsx = self.url_open("/my/account/statement/xlsx?date_from=2026-08-01&date_to=2026-11-22")
        self.assertEqual(xlsx.status_code, 200)
        self.assertIn("spreadsheetml", xlsx.headers["Content-Type"])
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        self.assertIn(self.overdue.name, cells)
        pdf = self.url_open("/my/account/statement/pdf?date_from=2026-08-01&date_to=2026-11-22")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        self.assertIn(self.overdue.name, pdf.text)  # rendered as HTML in test mode

    @freeze_time("2026-11-22")
    def test_contact_kept_to_its_documents_sees_no_statement(self):
        self.client_company.agency_portal_own_documents = True
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.client_company.id})
        theirs = self._make_invoice(colleague, "2026-11-01", [333.0])
        self.authenticate(self.portal_user.login, self.portal_user.login)
        self.assertNotIn(theirs.name, self.url_open("/my/invoices").text)
        self.assertNotIn(theirs.name, self.url_open(f"/my/invoices/{theirs.id}").text)
        self.assertIn(self.open.name, self.url_open("/my/invoices").text)
        page = self.url_open("/my/account/billing").text
        self.assertNotIn("agency_statement_form", page)
        self.assertNotIn("333.00", page)
        response = self.url_open("/my/account/statement/xlsx")
        self.assertNotIn("spreadsheetml", response.headers["Content-Type"])
        # with the link and its token, the colleague's invoice can still be shared
        theirs._portal_ensure_token()
        self.assertIn(theirs.name, self.url_open(f"/my/invoices/{theirs.id}?access_token={theirs.access_token}").text)
