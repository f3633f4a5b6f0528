import io

from odoo import api, models
from odoo.tools.pdf import DictionaryObject, NameObject, NumberObject, OdooPdfFileReader, OdooPdfFileWriter


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    # EXTENDS account: the agency invoice is the default layout of clients with a billing profile,
    # unless a layout was chosen for the client or the journal.
    @api.model
    def _get_default_pdf_report_id(self, move):
        partner = move.commercial_partner_id.with_company(move.company_id)
        journal = move.journal_id.with_company(move.company_id)
        if (
            partner.agency_billing_policy
            and not partner.invoice_template_pdf_report_id
            and not journal.invoice_template_pdf_report_id
        ):
            report = self.env.ref("agency_billing.action_report_agency_invoice", raise_if_not_found=False)
            if report and move._is_action_report_available(report):
                return report
        return super()._get_default_pdf_report_id(move)

    # EXTENDS account: the PDFs rendered for sending get their e-invoice from the sending itself (Odoo's
    # _hook_invoice_document_after_pdf_report_render); the report hook that embeds it in a printed or
    # downloaded agency invoice (ir.actions.report) stays out of the way, or the sent PDF would carry
    # two factur-x.xml, made twice
    def _prepare_invoice_pdf_report(self, invoices_data):
        return super(AccountMoveSend, self.with_context(agency_pdf_for_sending=True))._prepare_invoice_pdf_report(
            invoices_data
        )

    def _prepare_invoice_proforma_pdf_report(self, invoice, invoice_data):
        return super(
            AccountMoveSend, self.with_context(agency_pdf_for_sending=True)
        )._prepare_invoice_proforma_pdf_report(invoice, invoice_data)

    # EXTENDS account_edi_ubl_cii: Odoo makes the PDF of a Factur-X client a PDF/A-3 assuming the PDF has an
    # outline (``convert_to_pdfa`` reads the catalog's /Outlines), which only a patched-Qt wkhtmltopdf
    # writes: with Debian's the conversion fails (logged, "KeyError: '/Outlines'") and the client gets a plain
    # PDF. The PDF gets an empty outline first, so the conversion runs wherever wkhtmltopdf comes from.
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        if invoice_data.get("ubl_cii_xml_options", {}).get("ubl_cii_format") == "facturx":
            for key in ("pdf_attachment_values", "proforma_pdf_attachment_values"):
                if (values := invoice_data.get(key)) and values.get("raw"):
                    values["raw"] = self._agency_with_outline(values["raw"])
        return super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)

    @api.model
    def _agency_with_outline(self, pdf):
        """``pdf`` (bytes) with an (empty) document outline if it has none."""
        if not pdf.startswith(b"%PDF"):  # test mode: Odoo renders HTML
            return pdf
        reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
        if "/Outlines" in reader.trailer["/Root"]:
            return pdf
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(reader)
        outline = DictionaryObject(
            {NameObject("/Type"): NameObject("/Outlines"), NameObject("/Count"): NumberObject(0)}
        )
        writer._root_object[NameObject("/Outlines")] = writer._addObject(outline)
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()
