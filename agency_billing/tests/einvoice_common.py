import os

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import BillingRunCommon
from .einvoice_rules import check_cii, check_facturx_xsd, check_official, check_ubl


class AgencyEinvoiceCommon(BillingRunCommon):
    """A French agency (EUR, VAT 20 % and 10 %, an IBAN, RF structured references) and its clients: a French
    business, a Norwegian public body (EHF), a German public buyer (XRechnung), a Korean client. Fixtures
    and checks only: no test here."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    @AccountTestInvoicingCommon.setup_chart_template("generic_coa")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Pixel Agency SAS",
                "vat": "FR40303265045",
                "company_registry": "732829320",
                "street": "10 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "email": "billing@pixel.example.com",
                "phone": "+33 1 23 45 67 89",
            }
        )
        cls.company.partner_id.write({"peppol_eas": "0009", "peppol_endpoint": "73282932000074"})
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
                "allow_out_payment": True,
            }
        )
        journal = cls.company_data["default_journal_sale"]
        journal.write({"invoice_reference_model": "euro", "bank_account_id": cls.bank.id})
        cls.tax_20, cls.tax_10 = cls.env["account.tax"].create(
            [
                {"name": f"TVA {rate} %", "amount": rate, "amount_type": "percent", "type_tax_use": "sale"}
                for rate in (20.0, 10.0)
            ]
        )
        (cls.hours | cls.fixed | cls.retainer).write({"taxes_id": [Command.set(cls.tax_20.ids)]})
        countries = {code: cls.env.ref(f"base.{code.lower()}") for code in ("FR", "NO", "DE", "KR")}
        cls.client_company.write(
            {
                "name": "Acme France SA",
                "country_id": countries["FR"].id,
                "vat": "FR23334175221",
                "street": "1 avenue des Champs",
                "zip": "75008",
                "city": "Paris",
                "agency_billing_policy": "time_materials",
            }
        )
        cls.client_brand.write(
            {"country_id": countries["FR"].id, "street": "5 rue Rocket", "zip": "69001", "city": "Lyon"}
        )
        Partner = cls.env["res.partner"]
        cls.norway = Partner.create(
            {
                "name": "Oslo kommune",
                "is_company": True,
                "country_id": countries["NO"].id,
                "vat": "NO974760673MVA",
                "company_registry": "974760673",
                "peppol_eas": "0192",
                "peppol_endpoint": "974760673",
                "street": "Rådhusplassen 1",
                "zip": "0037",
                "city": "Oslo",
                "agency_client_profile": "public",
                "agency_billing_policy": "time_materials",
                "agency_po_per_invoice": True,
                "agency_buyer_reference": "Kari Nordmann",
                "email": "faktura@oslo.example.no",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.germany = Partner.create(
            {
                "name": "Stadt Köln",
                "is_company": True,
                "country_id": countries["DE"].id,
                "vat": "DE123456788",
                "street": "Willy-Brandt-Platz 2",
                "zip": "50679",
                "city": "Köln",
                "email": "rechnung@stadt-koeln.example.de",
                "agency_client_profile": "public",
                "agency_billing_policy": "time_materials",
                "agency_buyer_reference": "05315-12345-67",
            }
        )
        cls.env["res.lang"]._activate_lang("ko_KR")
        cls.korea = Partner.create(
            {
                "name": "서울 디자인 주식회사",
                "is_company": True,
                "country_id": countries["KR"].id,
                "street": "세종대로 110",
                "zip": "04524",
                "city": "서울",
                "lang": "ko_KR",
                "agency_billing_policy": "time_materials",
            }
        )

    # ------------------------------------------------------------------
    # invoices
    # ------------------------------------------------------------------

    @classmethod
    def _bill(cls, partner, orders_lines, date="2026-11-05", post=True):
        """Orders of ``partner`` (``[(project, [(product, qty, delivered)], po)]``) billed by the billing run."""
        for project, lines, po in orders_lines:
            cls._order(partner, project, lines, po=po)
        run = cls.env["agency.billing.run"].create({"date": date, "partner_ids": [Command.set(partner.ids)]})
        run.action_preview()
        run.action_bill()
        invoices = run.invoice_ids
        for invoice in invoices:
            invoice.partner_bank_id = cls.bank
        if post:
            invoices.action_post()
        return invoices

    @classmethod
    def _order(cls, partner, project, lines, po="", confirm=True, **values):
        order = super()._order(partner, project, lines, po=po, confirm=confirm, **values)
        order.order_line.filtered(lambda line: not line.is_downpayment).tax_ids = cls.tax_20
        return order

    # ------------------------------------------------------------------
    # files and checks
    # ------------------------------------------------------------------

    def _xml(self, invoice, edi_format):
        builder = self.env["res.partner"]._get_edi_builder(edi_format)
        xml, errors = builder._export_invoice(invoice)
        self.assertFalse(errors, f"{edi_format} of {invoice.name}: Odoo's own checks")
        return xml

    def assertValidEinvoice(self, invoice, formats=("facturx", "ubl_bis3")):
        """The invoice in each format: the Factur-X XML valid against the Factur-X EN 16931 XSD, every file
        true to the official rules of its format (EN 16931; Peppol BIS 3 or XRechnung for UBL), to the rules
        we touch and to the invoice's amounts. Returns the files by format."""
        files = {}
        for edi_format in formats:
            xml = files[edi_format] = self._xml(invoice, edi_format)
            if dump := os.environ.get("AGENCY_EINVOICE_DUMP"):  # a folder: keep the files (official rules)
                name = f"{self._testMethodName}-{invoice.name.replace('/', '_')}-{edi_format}.xml"
                with open(os.path.join(dump, name), "wb") as file:
                    file.write(xml)
            if edi_format == "facturx":
                errors = check_facturx_xsd(xml) + check_cii(xml, invoice)
            else:
                errors = check_ubl(xml, invoice)
            errors += check_official(xml, edi_format)
            self.assertFalse(
                errors, f"{edi_format} of {invoice.name} ({invoice.partner_id.name}):\n" + "\n".join(errors)
            )
        return files
