from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.models.account_move import AccountMove

from .common import AgencyInvoiceCommon, html_text

QR_URL = "/report/barcode/?barcode_type=QR&value=agency-test-qr&width=120&height=120"


@tagged("post_install", "-at_install")
class TestAgencyInvoiceReport(AgencyInvoiceCommon):
    """What the agency invoice shows (its HTML), in the client's language."""

    def test_default_report_for_clients_with_a_billing_profile(self):
        invoice = self._agency_invoice(post=False)
        move_send = self.env["account.move.send"]
        self.assertEqual(move_send._get_default_pdf_report_id(invoice), self.report)
        action = invoice.with_context(discard_logo_check=True).action_print_pdf()
        self.assertEqual(action["report_name"], "agency_billing.report_agency_invoice")
        self.assertIn(self.report, self.env["account.move"]._get_available_invoice_template_pdf_report_ids())
        # a client without billing profile keeps Odoo's invoice
        other = self._create_invoice(partner_id=self.partner_a.id)
        self.assertEqual(move_send._get_default_pdf_report_id(other), self.env.ref("account.account_invoices"))
        # a layout chosen for the client wins
        self.client_company.invoice_template_pdf_report_id = self.env.ref("account.account_invoices")
        self.assertEqual(move_send._get_default_pdf_report_id(invoice), self.env.ref("account.account_invoices"))

    def test_every_element_on_the_invoice(self):
        invoice = self._agency_invoice(currency=self.eur)
        self._register_payment(invoice, amount=500.0, currency_id=self.eur.id, payment_date="2026-11-10")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice._agency_invoice_message(), "Thank you for a great year together!")
        with patch.object(AccountMove, "_generate_qr_code", return_value=QR_URL):
            html, _ = self.env["ir.actions.report"]._render_qweb_html(self.report.report_name, invoice.ids)
        html = html.decode()
        text = html_text(html)
        values = invoice._agency_invoice_report_values()

        # amount due and due date first, in the company's colour, before anything else
        self.assertEqual(invoice.amount_total, 2750.0)
        self.assertEqual(invoice.amount_residual, 2750.0 - 500.0)
        due_box = html.index('id="agency_amount_due_box"')
        self.assertLess(due_box, html.index('id="agency_from"'))
        self.assertIn("background-color: #123456", html[due_box - 200 : due_box + 200])
        self.assertRegex(text, r"Amount due -?(?:€ )?-?\ufeff?2,250\.00(?: €)?")
        self.assertIn("December 5, 2026", text)
        # terms in plain words, never "Net 30"
        self.assertIn("Due within 30 days, by December 5, 2026", text)
        self.assertNotIn("Net 30", text)
        # agency and client details
        for expected in ("Pixel Agency", "BE0477472701", "hello@pixel.example.com", "+32 2 555 01 01"):
            self.assertIn(expected, text)
        for expected in ("Acme Corp", "BE0403170701", "1 Road Runner Way", "billing@acme.example.com", "+1 555 0100"):
            self.assertIn(expected, text)
        self.assertIn("PO number PO-4711", text)
        self.assertIn("CUST-77", text)
        self.assertIn(f"Invoice number {invoice.name}", text)
        self.assertIn("Invoice date 11/05/2026", text)
        # work by project with subtotals, out of scope apart
        self.assertEqual([s["name"] for s in values["sections"]], ["Website redesign", "Brand book"])
        self.assertEqual(values["sections"][0]["subtotal"], 2000.0)
        self.assertEqual(values["sections"][0]["out_of_scope_subtotal"], 250.0)
        self.assertEqual(values["sections"][1]["subtotal"], 800.0)
        self.assertRegex(text, r"Subtotal Website redesign -?(?:€ )?-?\ufeff?2,000\.00(?: €)?")
        self.assertRegex(text, r"Subtotal Brand book -?(?:€ )?-?\ufeff?800\.00(?: €)?")
        self.assertRegex(
            text, r"Out of scope.*Extra landing page.*Out-of-scope subtotal -?(?:€ )?-?\ufeff?250\.00(?: €)?"
        )
        self.assertRegex(
            text, r"Agreed scope -?(?:€ )?-?\ufeff?2,800\.00(?: €)? Out-of-scope work -?(?:€ )?-?\ufeff?250\.00(?: €)?"
        )
        self.assertLess(text.index("Front-end build"), text.index("Extra landing page"))
        # deposit and payment deducted
        self.assertRegex(text, r"Deposit already invoiced: Deposit 30% -?(?:€ )?-?\ufeff?300\.00(?: €)?")
        self.assertRegex(text, r"Paid on 11/10/2026 -? ?(?:€ )?-?\ufeff?500\.00(?: €)?")
        # foreign currency: amounts in euros
        self.assertEqual(invoice.currency_id, self.eur)
        self.assertIn("€", text)
        # late-payment policy (the early-payment discount ends with a first payment, as in Odoo)
        self.assertNotIn("Early payment discount", text)
        self.assertIn("late-payment interest", text)
        self.company.agency_late_payment_policy = "Late payments bear 8% interest a year."
        self.assertIn("Late payments bear 8% interest a year.", self._render(invoice))
        # how to pay: bank account, payment reference, QR code, pay link
        self.assertIn("BE71 0961 2345 6769", text)
        self.assertIn(f"Payment reference: {invoice.payment_reference}", text)
        self.assertIn(QR_URL.replace("&", "&amp;"), html)
        self.assertIn(invoice.get_portal_url(), html.replace("&amp;", "&"))
        self.assertIn("Pay online", text)
        # amount in words and the message
        self.assertIn("Total in words: " + invoice._agency_amount_in_words(invoice.amount_total, "en_US"), text)
        self.assertIn("Euros", invoice._agency_amount_in_words(invoice.amount_total, "en_US"))
        self.assertIn("Thank you for a great year together!", text)

    def test_early_payment_discount(self):
        invoice = self._agency_invoice(currency=self.eur)
        text = self._render(invoice)
        self.assertRegex(
            text, r"Early payment discount: pay -?(?:€ )?-?\ufeff?2,695\.00(?: €)? instead if paid by November 15, 2026"
        )

    def test_invoice_message_of_the_invoice(self):
        invoice = self._agency_invoice(post=False, agency_invoice_message="Happy holidays from the whole team")
        text = self._render(invoice)
        self.assertIn("Happy holidays from the whole team", text)
        self.assertNotIn("Thank you for a great year together!", text)
        # no payment yet, no deposit: nothing deducted but the deposit line
        self.assertNotIn("Paid on", text)

    def test_credit_note(self):
        invoice = self._agency_invoice()
        refund = invoice._reverse_moves()
        refund.action_post()
        text = self._render(refund)
        self.assertIn("Credit Note", text)
        self.assertIn("Amount credited", text)
        self.assertNotIn("Due date", text)
        self.assertIn("Website redesign", text)

    def test_no_qr_code_when_not_supported(self):
        invoice = self._agency_invoice()
        with patch.object(AccountMove, "_generate_qr_code", return_value=None):
            html, _ = self.env["ir.actions.report"]._render_qweb_html(self.report.report_name, invoice.ids)
        self.assertNotIn('id="agency_qr_code"', html.decode())

    def test_french_client_gets_french_terms(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing"], ["fr_FR"], overwrite=True)
        self.client_company.lang = "fr_FR"
        invoice = self._agency_invoice()
        text = self._render(invoice)
        self.assertIn("Payable sous 30 jours, au plus tard le 5 décembre 2026", text)
        self.assertIn("Montant dû", text)
        self.assertIn("Date d'échéance", text)
        self.assertNotIn("Due within 30 days", text)
        self.assertIn(invoice._agency_amount_in_words(invoice.amount_total, "fr_FR"), text)
        self.assertEqual(fields.Date.to_string(invoice.invoice_date), "2026-11-05")

    def test_shipped_languages(self):
        """Norwegian, Korean and Chinese clients read the terms and the document's labels in their language."""
        expected = {
            "nb_NO": ("Forfaller innen 30 dager, senest", "Å betale", "Betalingsbetingelser"),
            "ko_KR": ("30일 이내 결제", "결제할 금액", "결제 조건"),
            "zh_CN": ("30 天内付款，最迟", "应付金额", "付款条件"),
        }
        invoice = self._agency_invoice()
        for lang, texts in expected.items():
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["agency_billing"], [lang], overwrite=True)
                self.client_company.lang = lang
                text = self._render(invoice)
                for expected_text in texts:
                    self.assertIn(expected_text, text)
                self.assertNotIn("Due within", text)

    def test_amount_in_words_in_the_clients_language_and_the_invoices_currency(self):
        """The total in words is in the client's language with the invoice's currency, or not printed at
        all (Chinese: num2words has no Chinese, and Odoo's Chinese for "Dollars" is 元)."""
        expected = {
            "en_US": "One Thousand, Five Hundred Dollars",
            "fr_FR": "mille cinq cents",
            "nb_NO": "en tusen, fem hundre",
            "ko_KR": "천오백",
        }
        for lang in ("fr_FR", "nb_NO", "ko_KR", "zh_CN"):
            self.env["res.lang"]._activate_lang(lang)
        invoice = self._agency_invoice(post=False)
        self.assertEqual(invoice.currency_id.name, "USD")
        for lang, words in expected.items():
            with self.subTest(lang=lang):
                text = invoice._agency_amount_in_words(1500.0, lang)
                self.assertIn(words, text)
                self.assertNotIn("元", text)
        self.assertIn("and Fifty Cents", invoice._agency_amount_in_words(1500.5, "en_US"))
        self.assertEqual(invoice._agency_amount_in_words(1500.0, "zh_CN"), "")
        self.client_company.lang = "zh_CN"
        self.env["ir.module.module"]._load_module_terms(["agency_billing"], ["zh_CN"], overwrite=True)
        html = self._render(invoice)
        self.assertNotIn("元", html)
        self.assertNotIn("One Thousand", html)
