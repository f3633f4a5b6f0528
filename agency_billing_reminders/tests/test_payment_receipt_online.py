from odoo.tests import tagged

from odoo.addons.account_payment.tests.common import AccountPaymentCommon

from .receipt_common import AgencyReceiptMixin


@tagged("post_install", "-at_install")
class TestPaymentReceiptOnline(AccountPaymentCommon, AgencyReceiptMixin):
    """A client who pays online (a payment provider's transaction, post-processed by account_payment) gets
    the same receipt as for a payment registered by staff, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Online Payer GmbH",
                "is_company": True,
                "email": "pay@online-payer.example.com",
                "agency_client_profile": "business",
            }
        )

    def test_online_payment_sends_one_receipt(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.client, invoice_date="2026-11-01", amounts=[1200.0], post=True
        )
        tx = self._create_transaction(
            "redirect",
            state="done",
            amount=700.0,
            currency_id=invoice.currency_id.id,
            partner_id=self.client.id,
            invoice_ids=[invoice.id],
            reference="ONLINE-0001",
        )
        tx._post_process()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(tx.payment_id.move_id.agency_receipt_state, "to_send")
        mails = self._send_receipts()
        self.assertEqual(len(mails), 1)
        self.assertMailMail(self.client, "outgoing", content="700.00")
        for text in (invoice.name, "500.00"):
            self.assertIn(text, mails.body_html)
        tx._post_process()  # a second notification from the provider
        self.assertFalse(self._send_receipts())
