from lxml import etree

from odoo import models
from odoo.tools import cleanup_xml_node

NS = {
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
# Factur-X EN 16931 (COMFORT) profile: what the PDF's XMP metadata says too (Odoo writes "EN 16931" there
# but declares EXTENDED in the XML, and validators reject the mismatch: odoo/odoo#232942)
FACTURX_EN16931 = "urn:cen.eu:en16931:2017"


def _ram(tag):
    return etree.QName(NS["ram"], tag).text


def _sub(parent, tag, text=None, index=None, **attrib):
    node = etree.Element(_ram(tag) if ":" not in tag else tag, **attrib)
    node.text = text
    if index is None:
        parent.append(node)
    else:
        parent.insert(index, node)
    return node


class AccountEdiXmlCii(models.AbstractModel):
    """Factur-X (CII) of an agency invoice: Odoo's builder, declared at the EN 16931 profile, with what
    ``agency.einvoice`` says put where the CII wants it."""

    _inherit = "account.edi.xml.cii"

    # EXTENDS account_edi_ubl_cii
    def _export_invoice_vals(self, invoice):
        vals = super()._export_invoice_vals(invoice)
        if not self.env["agency.einvoice"]._applies(invoice):
            return vals
        if self._name == "account.edi.xml.cii":
            vals["document_context_id"] = FACTURX_EN16931
        if type_code := self.env["agency.einvoice"]._type_code(invoice):
            vals["ExchangedDocument_vals"]["type_code"] = type_code  # a deposit: a prepayment invoice
        refs = self.env["agency.einvoice"]._references(invoice)
        if refs["buyer"]:
            vals["buyer_reference"] = refs["buyer"]
        if refs["order"]:
            vals["purchase_order_reference"] = refs["order"]
        elif refs["buyer"]:
            vals["purchase_order_reference"] = ""  # no single PO: never an invented one
        return vals

    # EXTENDS account_edi_ubl_cii: lines keep their project and PO, the terms are said in full, the
    # invoices this one is about are referenced
    def _export_invoice(self, invoice):
        xml, errors = super()._export_invoice(invoice)
        if not self.env["agency.einvoice"]._applies(invoice):
            return xml, errors
        invoice = invoice.with_context(lang=invoice.partner_id.lang)
        tree = etree.fromstring(xml)
        self._agency_add_line_details(tree, invoice)
        self._agency_add_terms(tree, invoice)
        self._agency_add_preceding_invoices(tree, invoice)
        # CII-SR-312 (EN 16931 warning): the delivery party has no contact in EN 16931; Odoo writes one
        for contact in tree.iterfind(".//ram:ShipToTradeParty/ram:DefinedTradeContact", NS):
            contact.getparent().remove(contact)
        return etree.tostring(cleanup_xml_node(tree), xml_declaration=True, encoding="UTF-8"), errors

    def _agency_add_line_details(self, tree, invoice):
        einvoice = self.env["agency.einvoice"]
        info_by_line = einvoice._line_info(invoice)
        # the same lines, in the same order, as Odoo's _prepare_edi_vals_to_export numbers them
        lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        for line, item in zip(lines, tree.iterfind(".//ram:IncludedSupplyChainTradeLineItem", NS), strict=False):
            product = item.find("ram:SpecifiedTradeProduct", NS)
            if product.find("ram:Name", NS) is None:
                # BR-25: a line without a product (a deposit, a late fee) gets its label as item name;
                # Odoo writes the product's name only
                description = product.find("ram:Description", NS)
                name = _sub(
                    product,
                    "Name",
                    (line.name or "").replace("\n", " ") or "-",
                    index=len(product.findall("*", NS)) - (description is not None),
                )
                if description is not None and description.text == name.text:
                    product.remove(description)
            info = info_by_line.get(line.id)
            if not info:
                continue
            if info["note"]:
                document = item.find("ram:AssociatedDocumentLineDocument", NS)
                _sub(_sub(document, "IncludedNote"), "Content", info["note"])
            for name, value in einvoice._line_properties(invoice, info):
                characteristic = _sub(product, "ApplicableProductCharacteristic")
                _sub(characteristic, "Description", name)
                _sub(characteristic, "Value", value)

    def _agency_add_terms(self, tree, invoice):
        terms = tree.find(".//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradePaymentTerms", NS)
        if terms is None:
            return
        description = terms.find("ram:Description", NS)
        if description is None:
            description = _sub(terms, "Description", index=0)
        description.text = self.env["agency.einvoice"]._terms_note(invoice)

    def _agency_add_preceding_invoices(self, tree, invoice):
        preceding = self.env["agency.einvoice"]._preceding_invoices(invoice)[:1]  # BG-3: one in the CII
        settlement = tree.find(".//ram:ApplicableHeaderTradeSettlement", NS)
        summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
        for reference in preceding:
            node = _sub(settlement, "InvoiceReferencedDocument", index=settlement.index(summation) + 1)
            _sub(node, "IssuerAssignedID", reference.name)
            if reference.invoice_date:
                issued = _sub(node, "FormattedIssueDateTime")
                _sub(
                    issued,
                    etree.QName(NS["qdt"], "DateTimeString").text,
                    reference.invoice_date.strftime("%Y%m%d"),
                    format="102",
                )
