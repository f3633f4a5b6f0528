from urllib.parse import unquote

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AgencyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalInvoices(AgencyPortalCommon, HttpCase):
    """Invoices by status and project, the per-project breakdown, first view, the real invoice downloaded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = (
            cls.env["product.product"]
            .sudo()
            .create({"name": "Design hours", "type": "service", "invoice_policy": "order", "list_price": 100.0})
        )
        cls.project = (
            cls.env["project.project"]
            .sudo()
            .create({"name": "Rocket launch site", "partner_id": cls.client_company.id})
        )
        order = (
            cls.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": cls.portal_partner.id,
                    "project_id": cls.project.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3, "tax_ids": [Command.clear()]})
                    ],
                }
            )
        )
        order.action_confirm()
        with freeze_time("2026-11-22"):
            cls.project_invoice = order._create_invoices().sudo(False)
            cls.project_invoice.invoice_date = "2026-11-20"
            cls.project_invoice.action_post()
            cls.overdue = cls._make_invoice(cls.portal_partner, "2026-09-01", [1000.0])
            cls.paid = cls._make_invoice(cls.portal_partner, "2026-09-02", [222.0])
            cls._register_payment(cls.paid, payment_date="2026-09-10")
            cls.disputed = cls._make_invoice(cls.portal_partner, "2026-09-03", [333.0])
            cls.disputed.action_toggle_block_payment()
            cls.consolidated = cls._make_invoice(
                cls.portal_partner, "2026-11-21", [1200.0, 800.0], sections=["Website redesign", "Brand campaign"]
            )

    def _list(self, query):
        return self.url_open(f"/my/invoices?{query}").text

    @freeze_time("2026-11-22")
    def test_filters_by_status(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        expected = {
            "open": {self.overdue, self.disputed, self.consolidated, self.project_invoice},
            "overdue": {self.overdue},
            "paid": {self.paid},
            "disputed": {self.disputed},
        }
        everyone = set().union(*expected.values())
        for status, invoices in expected.items():
            page = self._list(f"filterby={status}")
            for invoice in everyone:
                (self.assertIn if invoice in invoices else self.assertNotIn)(invoice.name, page, (status, invoice.name))
        # an unknown filter is no server error
        self.assertIn(self.paid.name, self._list("filterby=nonsense"))

    @freeze_time("2026-11-22")
    def test_filter_by_project(self):
        self.assertEqual(self.project_invoice.agency_project_ids, self.project)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self._list(f"project={self.project.id}")
        self.assertIn("Rocket launch site", page)
        self.assertIn(self.project_invoice.name, page)
        self.assertNotIn(self.overdue.name, page)
        # another client's project or garbage: the filter is dropped, nothing leaks
        self.assertIn(self.overdue.name, self._list("project=abc"))

    @freeze_time("2026-11-22")
    def test_breakdown_by_project_and_first_view(self):
        self.assertFalse(self.consolidated.agency_first_viewed_date)
        # the agency's own look does not count
        self.agency_user.sudo().password = self.agency_user.login
        self.authenticate(self.agency_user.login, self.agency_user.login)
        self.assertIn("agency_sections", self.url_open(f"/my/invoices/{self.consolidated.id}").text)
        self.assertFalse(self.consolidated.agency_first_viewed_date)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/{self.consolidated.id}").text
        self.assertIn("agency_sections", page)
        self.assertIn("Website redesign", page)
        self.assertIn("Brand campaign", page)
        self.assertIn("800.00", page)
        self.consolidated.invalidate_recordset()
        first = self.consolidated.agency_first_viewed_date
        self.assertTrue(first)
        self.url_open(f"/my/invoices/{self.consolidated.id}")
        self.consolidated.invalidate_recordset()
        self.assertEqual(self.consolidated.agency_first_viewed_date, first)

    @freeze_time("2026-11-22")
    def test_download_is_the_invoice_never_a_pro_forma(self):
        self.assertFalse(self.overdue.invoice_pdf_report_id)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        for query in ("report_type=pdf&download=true", "report_type=pdf", "report_type=html"):
            response = self.url_open(f"/my/invoices/{self.overdue.id}?{query}")
            self.assertEqual(response.status_code, 200, query)
            self.assertNotIn("Proforma", response.text, query)
            self.assertNotIn("proforma", response.headers.get("Content-Disposition", ""), query)
            self.assertIn("agency_invoice", response.text, query)
            if "pdf" in query:
                # one file name, the back office's: the portal no longer underscores the number's dashes
                report = self.env["account.move.send"]._get_default_pdf_report_id(self.overdue)
                filename = self.overdue._get_invoice_report_filename(report=report)
                self.assertEqual(
                    filename, f"{safe_eval(report.print_report_name, {'object': self.overdue}).replace('/', '_')}.pdf"
                )
                self.assertIn(filename, unquote(response.headers["Content-Disposition"]), query)
        # a client without a billing profile gets Odoo's layout, still titled Invoice
        self.client_company.agency_billing_policy = False
        response = self.url_open(f"/my/invoices/{self.overdue.id}?report_type=pdf&download=true")
        self.assertNotIn("Proforma", response.text)
        self.assertIn("Invoice", response.text)

    @freeze_time("2026-11-22")
    def test_installments_shown_with_what_is_due_when(self):
        term = self.env.ref("account.account_payment_term_advance_60days")
        invoice = self._make_invoice(self.portal_partner, "2026-11-01", [1000.0], term=term)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/{invoice.id}").text
        self.assertIn("agency_installments", page)
        for line in invoice.line_ids.filtered(lambda line: line.display_type == "payment_term"):
            self.assertIn(line.date_maturity.strftime("%m/%d/%Y"), page)
            self.assertIn(f"{line.amount_residual:,.2f}", page)
