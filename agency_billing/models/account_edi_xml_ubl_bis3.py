from odoo import models


class AccountEdiXmlUblBis3(models.AbstractModel):
    """Peppol BIS Billing 3 (EHF in Norway; XRechnung and NLCIUS extend it) of an agency invoice: Odoo's
    builder, with what ``agency.einvoice`` says put where BIS 3 wants it."""

    _inherit = "account.edi.xml.ubl_bis3"

    # EXTENDS account_edi_ubl_cii
    def _add_invoice_header_nodes(self, document_node, vals):
        result = super()._add_invoice_header_nodes(document_node, vals)
        invoice = vals["invoice"]
        einvoice = self.env["agency.einvoice"]
        if not einvoice._applies(invoice):
            return result
        # (not in XRechnung: it admits 326, 380, 384, 389, 875-877 only, BR-DE-17)
        if (
            vals["document_type"] == "invoice"
            and self._name != "account.edi.xml.ubl_de"
            and (type_code := einvoice._type_code(invoice))
        ):
            document_node["cbc:InvoiceTypeCode"] = {"_text": type_code}  # a deposit: a prepayment invoice
        refs = einvoice._references(invoice)
        vals["_agency_line_info"] = einvoice._line_info(invoice)  # read by the line nodes (copies of vals)
        # PEPPOL-EN16931-R003: a buyer reference or an order reference; the PO where there is one
        if refs["buyer"]:
            document_node["cbc:BuyerReference"] = {"_text": refs["buyer"]}
        if refs["order"]:
            document_node["cac:OrderReference"]["cbc:ID"] = {"_text": refs["order"]}
        elif refs["buyer"]:
            document_node["cac:OrderReference"] = None  # no single PO: never an invented one
        preceding = einvoice._preceding_invoices(invoice)
        if preceding:
            document_node["cac:BillingReference"] = [
                {
                    "cac:InvoiceDocumentReference": {
                        "cbc:ID": {"_text": reference.name},
                        "cbc:IssueDate": {"_text": reference.invoice_date},
                    }
                }
                for reference in preceding
            ]
        # a credit note still to pay back says when (BR-CO-25); Odoo gives terms to invoices only
        if vals["document_type"] == "credit_note" and not invoice.currency_id.is_zero(invoice.amount_residual):
            document_node["cac:PaymentTerms"] = {"cbc:Note": {"_text": einvoice._terms_note(invoice)}}
        return result

    # EXTENDS account_edi_ubl_cii: the terms in words, installments and early-payment discount included
    def _add_invoice_payment_terms_nodes(self, document_node, vals):
        result = super()._add_invoice_payment_terms_nodes(document_node, vals)
        if "_agency_line_info" not in vals:  # not an agency client's invoice
            return result
        document_node["cac:PaymentTerms"] = {
            "cbc:Note": {"_text": self.env["agency.einvoice"]._terms_note(vals["invoice"])}
        }
        return result

    def _agency_line_info(self, vals):
        """Our line values (project, PO, note) of the base line being rendered, computed once per file."""
        if "_agency_line_info" not in vals:  # set by the header for agency clients only
            return None
        line = vals["base_line"].get("record")
        return vals["_agency_line_info"].get(line.id) if line else None

    # EXTENDS account_edi_ubl_cii: the project and the PO of each line (BT-127)
    def _add_invoice_line_note_nodes(self, line_node, vals):
        result = super()._add_invoice_line_note_nodes(line_node, vals)
        info = self._agency_line_info(vals)
        if info and info["note"]:
            line_node["cbc:Note"] = {"_text": info["note"]}
        return result

    # EXTENDS account_edi_ubl_cii: ... and as item attributes (BG-32)
    def _add_invoice_line_item_nodes(self, line_node, vals):
        result = super()._add_invoice_line_item_nodes(line_node, vals)
        info = self._agency_line_info(vals)
        if info:
            item = line_node["cac:Item"]
            item["cac:AdditionalItemProperty"] = [
                *(item.get("cac:AdditionalItemProperty") or []),
                *(
                    {"cbc:Name": {"_text": name}, "cbc:Value": {"_text": value}}
                    for name, value in self.env["agency.einvoice"]._line_properties(vals["invoice"], info)
                ),
            ]
        return result
