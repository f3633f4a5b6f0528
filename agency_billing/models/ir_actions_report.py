import io

from odoo import models

AGENCY_INVOICE_REPORT = "agency_billing.report_agency_invoice"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # EXTENDS account_edi_ubl_cii: the agency invoice, printed or downloaded from the portal outside
    # sending, embeds its Factur-X XML as Odoo's own layout does when it is sent (Odoo embeds it in a
    # custom layout only when listed in ``account.custom_templates_facturx_list``; ours always is).
    # French clients (Factur-X format) get a PDF/A-3 as Odoo makes it for them when sending.
    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if not (streams and res_ids and len(res_ids) == 1) or self.env.context.get("agency_pdf_for_sending"):
            return streams  # sending: Odoo's sending embeds the e-invoice (account.move.send)
        if self._get_report(report_ref).report_name != AGENCY_INVOICE_REPORT:
            return streams
        listed = self.env["ir.config_parameter"].sudo().get_param("account.custom_templates_facturx_list", "")
        if AGENCY_INVOICE_REPORT in [name.strip() for name in listed.split(",")]:
            return streams  # Odoo already embedded it
        invoice = self.env["account.move"].browse(res_ids)
        if invoice.id not in streams or not invoice.is_sale_document() or invoice.state != "posted":
            return streams
        invoice_data = {"pdf_attachment_values": {"raw": streams[invoice.id]["stream"].getvalue()}}
        if invoice.commercial_partner_id.with_company(invoice.company_id).invoice_edi_format == "facturx":
            xml = self.env["account.edi.xml.cii"]._export_invoice(invoice)[0]
            invoice_data["ubl_cii_xml_options"] = {"ubl_cii_format": "facturx"}
            invoice_data["ubl_cii_xml_attachment_values"] = {"raw": xml}
        self.env["account.move.send"].with_context(
            custom_template_facturx=True
        )._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        streams[invoice.id]["stream"] = io.BytesIO(invoice_data["pdf_attachment_values"]["raw"])
        return streams
