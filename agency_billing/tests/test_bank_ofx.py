from odoo.exceptions import UserError
from odoo.tests import tagged

from .bank_common import AGENCY_IBAN, BankMatchingCommon
from .camt import ofx, ofx2


@tagged("post_install", "-at_install")
class TestBankOfx(BankMatchingCommon):
    """OFX files (1.x SGML and 2.x XML) through the OCA import, matched as CAMT files are."""

    def _assert_refused(self, data, message, filename="statement.ofx"):
        before = self.env["account.bank.statement.line"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self._import(data, filename=filename)
        self.assertEqual(self.env["account.bank.statement.line"].search_count([]), before)

    def test_ofx1_sgml_is_imported_and_matched(self):
        invoices = self._invoices(self.client_company, [120.0, 340.0])
        globex = self._invoices(self.globex, [75.5])
        data = ofx(
            AGENCY_IBAN,
            [
                {
                    "amount": 120.0,
                    "name": "ACME CORP",
                    "ustrd": f"Payment {invoices[0].payment_reference}",
                    "bank_ref": "F1",
                },
                {"amount": 340.0, "name": "Acme", "ustrd": f"invoice {invoices[1].name.lower()}", "bank_ref": "F2"},
                {"amount": 75.5, "name": "GLOBEX INDUSTRIES", "bank_ref": "F3"},
            ],
            currency=self.company.currency_id.name,
        )
        statement = self._import(data, filename="bank.ofx")
        lines = statement.line_ids.sorted("unique_import_id")
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            [(line.agency_match_state, line.agency_match_kind) for line in lines],
            [("auto", "reference"), ("auto", "number"), ("auto", "payer")],
            lines.mapped("agency_match_note"),
        )
        self.assertTrue(all(lines.mapped("is_reconciled")))
        self.assertEqual(lines[2].partner_name, "GLOBEX INDUSTRIES")
        self.assertIn(invoices[0].payment_state, ("paid", "in_payment"))
        self.assertIn(globex.payment_state, ("paid", "in_payment"))
        self.assertTrue(all(line.unique_import_id.endswith(f"ofx-F{i}") for i, line in enumerate(lines, start=1)))

    def test_ofx2_xml_is_imported_and_matched(self):
        invoice = self._invoices(self.client_company, [999.0])
        data = ofx2(
            AGENCY_IBAN,
            [{"amount": 999.0, "name": "Acme & Co", "ustrd": f"Ref {invoice.payment_reference}", "bank_ref": "X1"}],
            currency=self.company.currency_id.name,
        )
        statement = self._import(data, filename="bank.ofx")
        self.assertEqual(statement.line_ids.agency_match_kind, "reference")
        self.assertEqual(statement.line_ids.partner_name, "Acme & Co")
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_same_ofx_file_twice_is_refused(self):
        data = ofx(
            AGENCY_IBAN, [{"amount": 10.0, "name": "Someone", "bank_ref": "T1"}], currency=self.company.currency_id.name
        )
        self._import(data, filename="bank.ofx")
        self._assert_refused(data, "already imported")

    def test_ofx_of_another_bank_account_is_refused(self):
        data = ofx(
            "FR1420041010050500013M02606", [{"amount": 10.0, "name": "Someone"}], currency=self.company.currency_id.name
        )
        self._assert_refused(data, "bank account")

    def test_bad_ofx_is_refused_clearly(self):
        self._assert_refused(b"OFXHEADER:100\nDATA:OFXSGML\n\nnot a statement", "cannot be read")
        self._assert_refused(b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><SIGNONMSGSRSV1></OFX>", "no bank statement")
        self._assert_refused(ofx(AGENCY_IBAN, [], currency=self.company.currency_id.name), "no transaction")
        self._assert_refused(b"   ", "is empty")

    def test_bad_ofx_is_refused_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing"], ["fr_FR"], overwrite=True)
        self.env = self.env(context=dict(self.env.context, lang="fr_FR"))
        self._assert_refused(b"OFXHEADER:100\nDATA:OFXSGML\n\nnot a statement", "illisible")
