from lxml import etree

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.agency_billing.tests.einvoice_common import AgencyEinvoiceCommon
from odoo.addons.agency_billing.tests.einvoice_rules import CII, UBL


@tagged("post_install", "-at_install")
class TestLateFeeEinvoice(AgencyEinvoiceCommon):
    """A late-fee invoice and its waiver credit note as e-invoices: valid, and referencing the invoice
    they are about (BillingReference / InvoiceReferencedDocument)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        account = cls.env["account.account"].create(
            {"name": "Late payment income", "code": "768100", "account_type": "income_other"}
        )
        cls.policy = cls.env["agency.late.fee.policy"].create(
            {
                "name": "Flat fee",
                "currency_id": cls.env.company.currency_id.id,
                "account_id": account.id,
                "tax_ids": [Command.set(cls.tax_20.ids)],
                "kind": "fixed",
                "fixed_amount": 40.0,
            }
        )

    def test_late_fee_and_its_waiver(self):
        invoice = self._bill(
            self.client_company, [(self.project_web, [(self.hours, 3, 3)], "PO-LATE")], date="2026-05-01"
        )
        fee = invoice._agency_charge_late_fee(self.policy, fields.Date.to_date("2026-06-15"))
        self.assertEqual(fee.agency_late_fee_origin_id, invoice)
        files = self.assertValidEinvoice(fee)
        root = etree.fromstring(files["ubl_bis3"])
        self.assertEqual(
            root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=UBL), invoice.name
        )
        self.assertEqual(
            root.findtext("cac:OrderReference/cbc:ID", namespaces=UBL), "PO-LATE", "the PO of the invoice it is about"
        )
        cii = etree.fromstring(files["facturx"])
        self.assertEqual(
            cii.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=CII), invoice.name
        )

        credit_note = fee._agency_waive_late_fee("Goodwill")
        files = self.assertValidEinvoice(credit_note)
        root = etree.fromstring(files["ubl_bis3"])
        self.assertEqual(etree.QName(root).localname, "CreditNote")
        self.assertEqual(
            root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=UBL), fee.name
        )
        self.assertEqual(etree.fromstring(files["facturx"]).findtext(".//ram:TypeCode", namespaces=CII), "381")

    def test_waiver_of_a_partly_paid_fee_says_when_it_is_paid_back(self):
        invoice = self._bill(
            self.client_company, [(self.project_web, [(self.hours, 1, 1)], "PO-LATE2")], date="2026-05-01"
        )
        fee = invoice._agency_charge_late_fee(self.policy, fields.Date.to_date("2026-06-15"))
        self._register_payment(fee, amount=10.0)
        credit_note = fee._agency_waive_late_fee("Paid by mistake")
        self.assertTrue(credit_note.amount_residual)
        files = self.assertValidEinvoice(credit_note)  # BR-CO-25: an amount due has its terms
        self.assertTrue(etree.fromstring(files["ubl_bis3"]).findtext("cac:PaymentTerms/cbc:Note", namespaces=UBL))
