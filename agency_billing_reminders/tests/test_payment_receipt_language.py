from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon

from .receipt_common import AgencyReceiptMixin


@tagged("post_install", "-at_install")
class TestPaymentReceiptLanguage(AgencyBillingCommon, AgencyReceiptMixin):
    """The receipt speaks the client's language: subject, body and the PDF's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "ko_KR"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["agency_billing_reminders"], ["fr_FR", "ko_KR"], overwrite=True)

    def _receipt_for(self, lang):
        client = self.env["res.partner"].create(
            {"name": f"Client {lang}", "is_company": True, "email": f"{lang}@example.com", "lang": lang}
        )
        invoice = self.init_invoice(
            "out_invoice", partner=client, invoice_date="2026-11-01", amounts=[100.0], post=True
        )
        self._register_payment(invoice, amount=60.0, payment_date="2026-11-20")
        mails = self._send_receipts()
        self.assertEqual(mails.recipient_ids, client)
        return mails

    def test_french_client(self):
        mail = self._receipt_for("fr_FR")
        self.assertEqual(mail.subject, f"Merci pour votre paiement - {self.env.company.name}")
        self.assertIn("Il a été affecté à", mail.body_html)
        self.assertIn("reste dû sur cette facture", mail.body_html)
        self.assertTrue(mail.attachment_ids.name.startswith("Reçu - "))

    def test_korean_client(self):
        mail = self._receipt_for("ko_KR")
        self.assertIn("결제해 주셔서 감사합니다", mail.subject)
        self.assertIn("이 청구서의 남은 금액", mail.body_html)
