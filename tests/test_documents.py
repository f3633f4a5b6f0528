"""Every document the README shows (agency invoice, customer statement, payment receipt, reminder letter,
formal notice), rendered as a real PDF by the wkhtmltopdf that bin/agency installs: each says who sent it
(the agency's name, address and logo, in the page body: Debian's unpatched wkhtmltopdf drops Odoo's
header and footer) and its text can be searched and copied (pypdf reads it back)."""

import base64
import io
import json
from urllib.parse import quote

from PIL import Image
from pypdf import PdfReader

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


def _logo():
    """The agency's logo: a small PNG."""
    image = Image.new("RGB", (60, 40), "#1f3a5f")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestDocumentsSayWhoSentThem(AgencyBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Northwind Test Studio",
                "street": "48 Harbour Street",
                "city": "Portland",
                "zip": "97205",
                "phone": "+1 503 555 0142",
                "email": "billing@northwind.example.com",
                "logo": _logo(),
            }
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.client_company, invoice_date="2026-09-01", amounts=[1200.0], post=True
        )
        cls.payment = cls._register_payment(cls.invoice, amount=200.0, payment_date="2026-09-20")
        cls.agency_user.write(
            {"password": "ada.agency", "group_ids": [(4, cls.env.ref("account.group_account_invoice").id)]}
        )

    def _pdf(self, report, records, data=None):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids, data=data)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def assertLetterhead(self, pdf, *texts):
        """A valid PDF whose extracted text has the agency's letterhead (and ``texts``), with the logo."""
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        first = reader.pages[0]
        text = " ".join(first.extract_text().split())
        for expected in ("Northwind Test Studio", "48 Harbour Street", "Portland", *texts):
            self.assertIn(expected, text)
        self.assertTrue(first.images, "the agency's logo is on the first page")
        return text

    def _message(self, channels, action):
        step = self.env["agency.reminder.step"].search([("action", "=", action)], limit=1)
        self.assertTrue(step, action)
        return (
            self.env["agency.reminder.message"]
            .sudo()
            .create(
                {
                    "partner_id": self.client_company.id,
                    "company_id": self.company.id,
                    "date": "2026-11-07",
                    "step_id": step.id,
                    "channels": channels,
                }
            )
        )

    def test_invoice(self):
        pdf = self._pdf("agency_billing.report_agency_invoice", self.invoice)
        self.assertLetterhead(pdf, self.invoice.name, "Amount due".upper(), "Acme Corp")

    def test_statement(self):
        pdf = self._pdf(
            "agency_billing.report_customer_statement",
            self.client_company,
            data={"date_from": "2026-08-01", "date_to": "2026-10-31", "company_id": self.company.id},
        )
        self.assertLetterhead(pdf, "Statement of account", self.invoice.name, self.payment.name, "Acme Corp")

    def test_receipt(self):
        pdf = self._pdf("agency_billing_reminders.action_report_agency_payment_receipt", self.payment.move_id)
        self.assertLetterhead(pdf, "Payment Receipt", self.invoice.name)

    def test_reminder_letter_and_formal_notice(self):
        letter = self._pdf("agency_billing_reminders.action_report_reminder_letter", self._message("letter", "letter"))
        self.assertLetterhead(letter, "Payment reminder", "Dear Acme Corp")
        notice = self._pdf(
            "agency_billing_reminders.action_report_reminder_letter", self._message("mail,letter", "notice")
        )
        self.assertLetterhead(notice, "Formal notice", "Dear Acme Corp")

    def test_statement_from_the_wizard_as_the_web_client_asks_for_it(self):
        """The Customer Statements wizard (and the client's Statement button) gives its options as report
        data: the web client then asks for /report/<type>/<name>?options=...&context=..., without record ids
        in the path (it printed a blank page)."""
        wizard = (
            self.env["agency.customer.statement.wizard"]
            .with_user(self.agency_user)
            .with_context(active_model="res.partner", active_id=self.client_brand.id)
            .create({"date_from": "2026-08-01", "date_to": "2026-10-31"})
        )
        action = wizard.action_print_pdf()
        self.assertTrue(action["data"])
        self.authenticate(self.agency_user.login, self.agency_user.login)
        options = quote(json.dumps(action["data"]))
        for converter, extra in (("html", {}), ("pdf", {"force_report_rendering": True})):
            context = quote(json.dumps({**action["context"], **extra}))
            response = self.url_open(f"/report/{converter}/{action['report_name']}?options={options}&context={context}")
            self.assertEqual(response.status_code, 200)
            if converter == "html":
                self.assertIn(self.invoice.name, response.text)
                self.assertIn("Acme Corp", response.text)
            else:
                self.assertLetterhead(response.content, self.invoice.name, self.payment.name, "Acme Corp")
