"""The agency invoice PDF carries its Factur-X for real: rendered by wkhtmltopdf, printed, downloaded from the
portal and sent, the XML is embedded in the PDF (read back with the `factur-x` library), valid against the
Factur-X EN 16931 XSD and the official EN 16931 rules, and the PDF is a PDF/A-3 for French clients.

In test mode Odoo stores ``factur-x.xml`` as an attachment instead of embedding it
(``account_edi_ubl_cii``'s ``_hook_invoice_document_after_pdf_report_render``): these tests switch that
bypass off around the rendering, so the PDF is post-processed as in production.
"""

import io
import os
import zipfile
from contextlib import contextmanager
from unittest.mock import patch

from lxml import etree
from pypdf import PdfReader

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.agency_billing.tests.einvoice_common import AgencyEinvoiceCommon
from odoo.addons.agency_billing.tests.einvoice_rules import CII, check_cii, check_facturx_xsd, check_official
from odoo.addons.base.models.ir_actions_report import IrActionsReport

REPORT = "agency_billing.report_agency_invoice"


def _facturx():
    """The `factur-x` library. Its import reads python-stdnum's IBAN registry through
    ``importlib.resources``, which cannot open package data under pytest-odoo's importer ("orphan path"):
    the registry is read from its file first, as stdnum itself would."""
    import stdnum.numdb

    if "iban" not in stdnum.numdb._open_databases:
        with open(os.path.join(os.path.dirname(stdnum.numdb.__file__), "iban.dat"), encoding="utf-8") as file:
            stdnum.numdb._open_databases["iban"] = stdnum.numdb.read(file)
    import facturx

    return facturx


@contextmanager
def production_pdf():
    """Invoice PDFs rendered as in production while in this block, wherever they are asked for (a print, the
    portal's request, Odoo's sending): a real wkhtmltopdf rendering (Odoo's ``force_report_rendering``, set
    for every rendering) post-processed by Odoo's e-invoice hook outside its test mode."""
    original = IrActionsReport._pre_render_qweb_pdf

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        return original(self.with_context(force_report_rendering=True), report_ref, res_ids=res_ids, data=data)

    with (
        patch.dict(config._runtime_options, {"test_enable": False}),
        patch.object(IrActionsReport, "_pre_render_qweb_pdf", _pre_render_qweb_pdf),
    ):
        yield


@tagged("post_install", "-at_install")
class TestEinvoicePdf(AgencyEinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_new_portal_user(login="acme.einvoice")
        cls.portal_user.partner_id.write({"parent_id": cls.client_company.id, "name": "Paula Portal"})

    def assertFacturxPdf(self, pdf, invoice, pdfa):
        """``pdf`` embeds the Factur-X of ``invoice``, valid and true to its amounts; a PDF/A-3 with the
        Factur-X EN 16931 metadata if ``pdfa``. Returns the XML."""
        get_xml_from_pdf = _facturx().get_xml_from_pdf
        self.assertTrue(pdf.startswith(b"%PDF"))
        filename, xml = get_xml_from_pdf(pdf, check_xsd=True)  # raises if the XML breaks its XSD
        self.assertEqual(filename, "factur-x.xml")
        errors = check_facturx_xsd(xml) + check_cii(xml, invoice) + check_official(xml, "facturx")
        self.assertFalse(errors, "\n".join(errors))
        number = etree.fromstring(xml).findtext(".//rsm:ExchangedDocument/ram:ID", namespaces=CII)
        self.assertEqual(number, invoice.name)
        reader = PdfReader(io.BytesIO(pdf))
        self.assertEqual({name: len(files) for name, files in reader.attachments.items()}, {"factur-x.xml": 1})
        self.assertIn(invoice.name, "".join(page.extract_text() for page in reader.pages), "the invoice itself")
        root = reader.trailer["/Root"]
        metadata = root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""
        if pdfa:
            self.assertIn("<pdfaid:part>3</pdfaid:part>", metadata, "PDF/A-3")
            self.assertIn("factur-x.xml", metadata, "the Factur-X extension schema names its file")
            self.assertIn("EN 16931", metadata, "the Factur-X profile, as the XML declares it")
            self.assertEqual(root["/AF"][0].get_object()["/AFRelationship"], "/Data", "the XML is the invoice's data")
        else:
            self.assertNotIn("pdfaid:part", metadata)
        return xml

    def test_printed_french_invoice_is_a_facturx_pdfa3(self):
        invoice = self._bill(self.client_company, [(self.project_web, [(self.hours, 2, 2)], "PO-PDF-1")])
        self.assertEqual(self.client_company.invoice_edi_format, "facturx")
        with production_pdf():
            pdf, kind = self.env["ir.actions.report"]._render_qweb_pdf(REPORT, invoice.ids)
        self.assertEqual(kind, "pdf")
        xml = self.assertFacturxPdf(pdf, invoice, pdfa=True)
        self.assertIn(b"PO-PDF-1", xml)
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]),
            "embedded in the PDF, not stored beside it",
        )

    def test_printed_invoice_of_a_public_body_embeds_facturx_without_pdfa(self):
        """Not a Factur-X client (EHF): the PDF still embeds the Factur-X as Odoo's sending does, no PDF/A."""
        invoice = self._bill(self.norway, [(self.project_web, [(self.hours, 1, 1)], "4500033333")])
        with production_pdf():
            pdf, _kind = self.env["ir.actions.report"]._render_qweb_pdf(REPORT, invoice.ids)
        self.assertFacturxPdf(pdf, invoice, pdfa=False)

    def test_portal_download_is_the_facturx_pdf(self):
        invoice = self._bill(self.client_company, [(self.project_brand, [(self.hours, 3, 3)], "PO-PORTAL")])
        self.assertFalse(invoice.invoice_pdf_report_id, "not sent: the portal renders it")
        self.authenticate(self.portal_user.login, self.portal_user.login)
        with production_pdf():
            response = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true", timeout=120)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf", "one file: the PDF with its XML")
        xml = self.assertFacturxPdf(response.content, invoice, pdfa=True)
        self.assertIn(b"PO-PORTAL", xml)

    def test_sent_invoice_pdf_and_its_portal_download(self):
        self.client_brand.email = "invoices@rockets.example.com"  # the invoice address the run bills
        invoice = self._bill(self.client_company, [(self.project_social, [(self.hours, 4, 4)], "PO-SENT")])
        with production_pdf():
            self.env["account.move.send"]._generate_and_send_invoices(invoice, sending_methods=["email"])
        self.assertTrue(invoice.invoice_pdf_report_id)
        self.assertFacturxPdf(invoice.invoice_pdf_report_id.raw, invoice, pdfa=True)
        messages = self.env["mail.message"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertIn(invoice.invoice_pdf_report_id.name, messages.attachment_ids.mapped("name"), "in the mail")
        # the portal serves the stored, sent files (Odoo's legal documents: the PDF and its XML, zipped)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true", timeout=120)
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        self.assertEqual(files.pop(invoice.invoice_pdf_report_id.name), invoice.invoice_pdf_report_id.raw)
        self.assertEqual(list(files.values()), [invoice.ubl_cii_xml_id.raw], f"and the XML alone: {list(files)}")
