from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .einvoice_common import AgencyEinvoiceCommon
from .einvoice_rules import CII, UBL


def ubl(xml, path):
    return [node.text for node in etree.fromstring(xml).iterfind(path, UBL)]


def cii(xml, path):
    return [node.text for node in etree.fromstring(xml).iterfind(path, CII)]


@tagged("post_install", "-at_install")
class TestEinvoiceFormat(AgencyEinvoiceCommon):
    def test_default_format_follows_country_and_profile(self):
        self.assertEqual(self.client_company.invoice_edi_format, "facturx", "French client: Factur-X")
        self.assertEqual(self.norway.invoice_edi_format, "ubl_bis3", "Norwegian public body: EHF (BIS 3)")
        self.assertEqual(self.germany.invoice_edi_format, "xrechnung", "German public buyer: XRechnung")
        self.assertFalse(self.korea.invoice_edi_format, "Korean client: the PDF alone")
        self.assertEqual(self.client_department.invoice_edi_format, "facturx", "contacts follow their company")
        # a Norwegian business is not on Peppol (account_peppol not installed): the PDF alone
        self.norway.agency_client_profile = "business"
        self.assertFalse(self.norway.invoice_edi_format)
        # not a client of the agency: Odoo's own default (none)
        other = self.env["res.partner"].create({"name": "Supplier", "country_id": self.env.ref("base.fr").id})
        self.assertFalse(other.invoice_edi_format)

    def test_staff_change_it_per_client(self):
        self.client_company.invoice_edi_format = "ubl_bis3"
        self.assertEqual(self.client_company.invoice_edi_format, "ubl_bis3")
        self.client_company.invoice_edi_format = False
        self.assertFalse(self.client_company.invoice_edi_format, "no e-invoice, kept")
        self.korea.invoice_edi_format = "facturx"
        self.assertEqual(self.korea.invoice_edi_format, "facturx")


@tagged("post_install", "-at_install")
class TestEinvoiceContents(AgencyEinvoiceCommon):
    def test_consolidated_invoice_three_projects(self):
        invoice = self._bill(
            self.client_company,
            [
                (self.project_brand, [(self.hours, 10, 10)], "PO-2026-17"),
                (self.project_web, [(self.hours, 5, 5), (self.fixed, 1, 0)], "PO-2026-17"),
                (self.project_social, [(self.fixed, 2, 0)], "PO-2026-17"),
            ],
        )
        self.assertEqual(len(invoice), 1)
        self.assertEqual(len(invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")), 3)
        files = self.assertValidEinvoice(invoice)
        # sections are not lines; each line keeps its project, as a note and an item attribute
        self.assertEqual(len(ubl(files["ubl_bis3"], "cac:InvoiceLine")), 4)
        notes = ubl(files["ubl_bis3"], "cac:InvoiceLine/cbc:Note")
        self.assertEqual(len(notes), 4)
        for project in ("Brand refresh", "Website", "Social media"):
            self.assertTrue(any(project in note for note in notes), project)
            self.assertIn(
                project, ubl(files["ubl_bis3"], "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:Value")
            )
            self.assertIn(
                project,
                cii(files["facturx"], ".//ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic/ram:Value"),
            )
        self.assertEqual(
            len(cii(files["facturx"], ".//ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content")), 4
        )
        # the PO where public buyers look for it
        self.assertEqual(ubl(files["ubl_bis3"], "cac:OrderReference/cbc:ID"), ["PO-2026-17"])
        self.assertEqual(
            cii(files["facturx"], ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"), ["PO-2026-17"]
        )
        # the structured payment reference and the bank account
        self.assertTrue(invoice.payment_reference.startswith("RF"))
        self.assertEqual(ubl(files["ubl_bis3"], "cac:PaymentMeans/cbc:PaymentID"), [invoice.payment_reference])
        self.assertEqual(
            ubl(files["ubl_bis3"], "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"), ["FR7630006000011234567890189"]
        )
        self.assertEqual(
            cii(files["facturx"], ".//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference"),
            [invoice.payment_reference],
        )
        self.assertEqual(
            cii(files["facturx"], ".//ram:PayeePartyCreditorFinancialAccount/*"), ["FR7630006000011234567890189"]
        )
        # the due date and the terms
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:DueDate"), [str(invoice.invoice_date_due)])
        self.assertIn("30", ubl(files["ubl_bis3"], "cac:PaymentTerms/cbc:Note")[0])

    def test_several_pos_without_one_po_per_invoice(self):
        invoice = self._bill(
            self.client_company,
            [(self.project_brand, [(self.hours, 1, 1)], "PO-A"), (self.project_web, [(self.hours, 2, 2)], "PO-B")],
        )
        files = self.assertValidEinvoice(invoice)
        self.assertFalse(ubl(files["ubl_bis3"], "cac:OrderReference/cbc:ID"), "no single PO: none invented")
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:BuyerReference"), ["PO-A, PO-B"])
        self.assertEqual(
            sorted(
                ubl(
                    files["ubl_bis3"],
                    "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty[cbc:Name='Purchase order']/cbc:Value",
                )
            ),
            ["PO-A", "PO-B"],
        )

    def test_two_pos_of_a_public_body_on_two_invoices(self):
        invoices = self._bill(
            self.norway,
            [
                (self.project_brand, [(self.hours, 3, 3)], "4500012345"),
                (self.project_web, [(self.fixed, 1, 0)], "4500067890"),
            ],
        )
        self.assertEqual(len(invoices), 2)
        for invoice in invoices:
            files = self.assertValidEinvoice(invoice)
            po = invoice.invoice_line_ids.sale_line_ids.order_id.client_order_ref
            self.assertEqual(ubl(files["ubl_bis3"], "cac:OrderReference/cbc:ID"), [po])
            self.assertEqual(
                ubl(files["ubl_bis3"], "cbc:BuyerReference"), ["Kari Nordmann"], "the buyer's own reference"
            )
            self.assertEqual(cii(files["facturx"], ".//ram:BuyerReference"), ["Kari Nordmann"])

    def test_german_public_buyer_xrechnung(self):
        invoice = self._bill(self.germany, [(self.project_web, [(self.hours, 4, 4)], "BANF-77")])
        files = self.assertValidEinvoice(invoice, formats=("xrechnung", "facturx"))
        self.assertEqual(ubl(files["xrechnung"], "cbc:BuyerReference"), ["05315-12345-67"], "the Leitweg-ID")
        self.assertIn("xrechnung", ubl(files["xrechnung"], "cbc:CustomizationID")[0])

    def test_german_public_buyer_deposit_terms_and_credit_note(self):
        """XRechnung (KoSIT rules) on what a German public buyer gets besides a plain invoice: a deposit and
        its final invoice, an early-payment discount, a credit note."""
        self.germany.write(
            {
                "agency_billing_policy": "deposit",
                "agency_deposit_percent": 25,
                "property_payment_term_id": self.env["account.payment.term"]
                .create(
                    {
                        "name": "30 days, 3% at 7 days",
                        "early_discount": True,
                        "discount_percentage": 3,
                        "discount_days": 7,
                        "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
                    }
                )
                .id,
            }
        )
        order = self._order(self.germany, self.project_brand, [(self.hours, 8, 0)], po="BANF-88")
        run = self.env["agency.billing.run"].create(
            {"date": "2026-10-05", "partner_ids": [Command.set(self.germany.ids)]}
        )
        run.action_preview()
        run.action_bill()
        deposit = run.invoice_ids
        deposit.action_post()
        files = self.assertValidEinvoice(deposit, formats=("xrechnung",))
        self.assertEqual(ubl(files["xrechnung"], "cbc:InvoiceTypeCode"), ["380"], "XRechnung has no 386 (BR-DE-17)")
        self._register_payment(deposit)
        order.order_line.filtered(lambda line: not line.is_downpayment).qty_delivered = 8
        final = self._bill(self.germany, [])
        files = self.assertValidEinvoice(final, formats=("xrechnung",))
        self.assertEqual(
            ubl(files["xrechnung"], "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"), [deposit.name]
        )
        self.assertIn("Early payment", ubl(files["xrechnung"], "cac:PaymentTerms/cbc:Note")[0])
        refund = final._reverse_moves([{"ref": "Hours billed twice", "invoice_date": final.invoice_date}])
        refund.action_post()
        self.assertValidEinvoice(refund, formats=("xrechnung",))

    def test_installments(self):
        terms = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        self.client_company.property_payment_term_id = terms
        invoice = self._bill(self.client_company, [(self.project_web, [(self.fixed, 1, 0)], "PO-9")])
        files = self.assertValidEinvoice(invoice)
        note = ubl(files["ubl_bis3"], "cac:PaymentTerms/cbc:Note")[0]
        self.assertIn("Installments", note)
        self.assertIn("600.00\xa0€ by November 5, 2026", note)
        self.assertIn("600.00\xa0€ by January 4, 2027", note)
        self.assertIn(note, cii(files["facturx"], ".//ram:SpecifiedTradePaymentTerms/ram:Description"))

    def test_deposit_deducted(self):
        self.client_company.write({"agency_billing_policy": "deposit", "agency_deposit_percent": 30})
        order = self._order(self.client_company, self.project_web, [(self.hours, 10, 0)], po="PO-DEP")
        run = self.env["agency.billing.run"].create(
            {"date": "2026-10-05", "partner_ids": [Command.set(self.client_company.ids)]}
        )
        run.action_preview()
        run.action_bill()
        deposit = run.invoice_ids
        deposit.action_post()
        files = self.assertValidEinvoice(deposit)
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:InvoiceTypeCode"), ["386"], "a prepayment invoice")
        self.assertEqual(cii(files["facturx"], ".//rsm:ExchangedDocument/ram:TypeCode"), ["386"])
        self._register_payment(deposit)
        order.order_line.filtered(lambda line: not line.is_downpayment).qty_delivered = 10
        final = self._bill(self.client_company, [])
        self.assertEqual(final.amount_untaxed, 700)
        self._register_payment(final, amount=100.0)  # something already paid on it, too
        files = self.assertValidEinvoice(final)
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:InvoiceTypeCode"), ["380"], "the final invoice")
        self.assertEqual(cii(files["facturx"], ".//rsm:ExchangedDocument/ram:TypeCode"), ["380"])
        self.assertEqual(
            ubl(files["ubl_bis3"], "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"), [deposit.name]
        )
        self.assertEqual(cii(files["facturx"], ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"), [deposit.name])
        self.assertIn(f"Deposit already invoiced: {deposit.name}", ubl(files["ubl_bis3"], "cac:InvoiceLine/cbc:Note"))
        # The deposit invoice declared its VAT (60.00 on 300.00); the final invoice books the work in full and
        # deducts the deposit with its VAT (Odoo's down payment line: -1 x 300.00 at 20 %), so its VAT is the
        # remainder (140.00 on 700.00). The file says the same: the work in full, the deduction as a negative
        # line referencing the deposit invoice (BG-3), VAT 140.00. The prepaid amount (BT-113) is what was paid
        # on this invoice (100.00), not the deposit: as prepaid, the deposit would need the VAT of the whole
        # work in the file (200.00), which this invoice does not book and the client would deduct twice.
        self.assertEqual(ubl(files["ubl_bis3"], "cac:InvoiceLine/cbc:LineExtensionAmount"), ["1000.00", "-300.00"])
        self.assertEqual(ubl(files["ubl_bis3"], "cac:InvoiceLine/cac:Price/cbc:PriceAmount"), ["100.0", "300.0"])
        self.assertEqual(ubl(files["ubl_bis3"], "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"), ["700.00"])
        self.assertEqual(ubl(files["ubl_bis3"], "cac:TaxTotal/cbc:TaxAmount"), ["140.00"])
        totals = {
            tag: ubl(files["ubl_bis3"], f"cac:LegalMonetaryTotal/cbc:{tag}")
            for tag in ("TaxExclusiveAmount", "TaxInclusiveAmount", "PrepaidAmount", "PayableAmount")
        }
        self.assertEqual(
            totals,
            {
                "TaxExclusiveAmount": ["700.00"],
                "TaxInclusiveAmount": ["840.00"],
                "PrepaidAmount": ["100.00"],
                "PayableAmount": ["740.00"],
            },
        )
        summation = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
        self.assertEqual(
            [cii(files["facturx"], summation + tag)[0] for tag in ("GrandTotalAmount", "TotalPrepaidAmount")],
            ["840.00", "100.00"],
        )
        self.assertEqual(cii(files["facturx"], summation + "DuePayableAmount"), ["740.00"])
        self.assertEqual(
            cii(files["facturx"], ".//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
            ["1000.00", "-300.00"],
        )

    def test_early_payment_discount(self):
        self.client_company.property_payment_term_id = self.env["account.payment.term"].create(
            {
                "name": "30 days, 2% at 10 days",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        invoice = self._bill(self.client_company, [(self.project_web, [(self.hours, 10, 10)], "PO-EPD")])
        files = self.assertValidEinvoice(invoice)
        note = ubl(files["ubl_bis3"], "cac:PaymentTerms/cbc:Note")[0]
        self.assertIn("Early payment", note)
        self.assertIn("2 % discount", note)

    def test_foreign_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.1734)])
        invoice = self._create_invoice(
            partner_id=self.client_company.id,
            invoice_date="2026-11-05",
            currency_id=usd.id,
            ref="PO-USD-1",
            partner_bank_id=self.bank.id,
            invoice_line_ids=[
                self._prepare_invoice_line(
                    price_unit=333.33, quantity=3, name="Motion design", tax_ids=self.tax_20.ids
                ),
                self._prepare_invoice_line(price_unit=99.99, quantity=7, name="Printed books", tax_ids=self.tax_10.ids),
            ],
            post=True,
        )
        files = self.assertValidEinvoice(invoice)
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:DocumentCurrencyCode"), ["USD"])
        self.assertEqual(ubl(files["ubl_bis3"], "cbc:TaxCurrencyCode"), ["EUR"])
        self.assertEqual(len(ubl(files["ubl_bis3"], "cac:TaxTotal/cac:TaxSubtotal")), 2, "one VAT breakdown per rate")

    def test_korean_client_language(self):
        self.env["ir.module.module"]._load_module_terms(["agency_billing"], ["ko_KR"], overwrite=True)
        invoice = self._bill(self.korea, [(self.project_social, [(self.hours, 2, 2)], "KR-PO-1")])
        files = self.assertValidEinvoice(invoice, formats=("facturx",))  # a Korean client is not on Peppol
        xml = self._xml(invoice, "ubl_bis3").decode()
        self.assertIn("서울 디자인 주식회사", xml)
        self.assertIn("프로젝트", xml, "free texts in the client's language")
        self.assertIn("프로젝트", files["facturx"].decode())


@tagged("post_install", "-at_install")
class TestEinvoiceDocuments(AgencyEinvoiceCommon):
    def test_sent_with_the_invoice(self):
        invoice = self._bill(self.norway, [(self.project_web, [(self.hours, 2, 2)], "4500011111")])
        self.env["account.move.send"]._generate_and_send_invoices(invoice, sending_methods=["email"])
        self.assertTrue(invoice.invoice_pdf_report_id, "the agency PDF")
        self.assertEqual(invoice.ubl_cii_xml_id.name, f"{invoice.name.replace('/', '_')}_ubl_bis3.xml")
        self.assertFalse(self._check_attachment(invoice))
        messages = self.env["mail.message"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertIn(invoice.ubl_cii_xml_id.name, messages.attachment_ids.mapped("name"), "sent with the invoice mail")
        # the customer downloads both from the portal (Odoo's legal documents)
        names = [doc["filename"] for doc in invoice._get_invoice_legal_documents_all(allow_fallback=True)]
        self.assertIn(invoice.ubl_cii_xml_id.name, names)
        xml = invoice.ubl_cii_xml_id.raw
        self.assertTrue(
            ubl(xml, "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"), "PDF embedded"
        )

    def _check_attachment(self, invoice):
        """Rules broken by the stored file (what was sent)."""
        from .einvoice_rules import check_ubl

        return check_ubl(invoice.ubl_cii_xml_id.raw, invoice)

    def test_printed_agency_invoice_embeds_facturx(self):
        invoice = self._bill(self.client_company, [(self.project_web, [(self.hours, 2, 2)], "PO-PRINT")])
        self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "agency_billing.report_agency_invoice", invoice.ids
        )
        # in tests Odoo stores the embedded XML as an attachment instead of touching the PDF
        embedded = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("name", "=", "factur-x.xml")]
        )
        self.assertEqual(len(embedded), 1)
        self.assertEqual(cii(embedded.raw, ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"), ["PO-PRINT"])
        self.assertIn(
            "urn:cen.eu:en16931:2017", cii(embedded.raw, ".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
        )

    def test_unsent_invoice_downloads_with_its_einvoice(self):
        invoice = self._bill(self.norway, [(self.project_web, [(self.hours, 1, 1)], "4500022222")])
        self.assertFalse(invoice.invoice_pdf_report_id)
        docs = invoice._get_invoice_legal_documents_all(allow_fallback=True)
        self.assertIn("xml", [doc["filetype"] for doc in docs])
