from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon

from .receipt_common import AgencyReceiptMixin


@tagged("post_install", "-at_install")
class TestPaymentReceipt(AgencyBillingCommon, AgencyReceiptMixin):
    """Every customer payment matched with invoices sends one thank-you receipt: what was received, what it
    paid, what is still open, with the PDF; once per payment; off for a profile whose cadence says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Thankful Client Ltd",
                "is_company": True,
                "email": "accounts@thankful.example.com",
                "agency_client_profile": "business",
            }
        )

    def _invoice(self, amount, partner=None):
        return self.init_invoice(
            "out_invoice", partner=partner or self.client, invoice_date="2026-11-01", amounts=[amount], post=True
        )

    def test_manual_payment_of_two_invoices(self):
        first, second = self._invoice(1000.0), self._invoice(500.0)
        payments = self._register_payment(first | second, payment_date="2026-11-20")
        self.assertEqual(payments.move_id.agency_receipt_state, "to_send")
        mails = self._send_receipts()
        self.assertEqual(len(mails), 1, "one receipt for the payment, not one per invoice")
        self.assertMailMail(
            self.client,
            "outgoing",
            content="1,500.00",
            fields_values={"subject": f"Thank you for your payment - {self.env.company.name}"},
        )
        body = mails.body_html
        for text in (first.name, second.name, "1,000.00", "500.00", "fully settled"):
            self.assertIn(text, body)
        self.assertEqual(len(mails.attachment_ids), 1)
        self.assertIn("Receipt", mails.attachment_ids.name)
        self.assertEqual(payments.agency_receipt_state, "sent")
        self.assertFalse(self._send_receipts(), "sent once")
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        self.assertEqual(
            payments.action_agency_print_receipt()["report_name"],
            "agency_billing_reminders.report_agency_payment_receipt",
        )

    def test_partial_payment_tells_what_is_still_open(self):
        invoice, other = self._invoice(1000.0), self._invoice(250.0)
        payment = self._register_payment(invoice, amount=400.0, payment_date="2026-11-20")
        mails = self._send_receipts()
        self.assertEqual(mails.recipient_ids, self.client)
        body = mails.body_html
        self.assertIn("400.00", body)
        self.assertIn("still due on this invoice", body)
        self.assertIn("600.00", body)
        self.assertIn("850.00", body, "the open balance: 600.00 on this invoice and 250.00 on the other")
        self.assertNotIn(other.name, body)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("agency_billing_reminders.action_report_agency_payment_receipt", payment.move_id.ids)[0]
            .decode()
        )
        for text in (invoice.name, "400.00", "600.00", "850.00", "Payment Receipt"):
            self.assertIn(text, html)

    def test_bank_statement_matched_with_an_invoice(self):
        invoice = self._invoice(300.0)
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": "2026-11-21",
                "payment_ref": "Transfer from Thankful Client",
                "partner_id": self.client.id,
                "amount": 300.0,
                "counterpart_account_id": receivable.account_id.id,
            }
        )
        counterpart = st_line.move_id.line_ids.filtered(lambda line: line.account_id == receivable.account_id)
        (counterpart + receivable).reconcile()
        self.assertEqual(invoice.payment_state, "paid")
        mails = self._send_receipts()
        self.assertEqual(mails.recipient_ids, self.client)
        self.assertIn(
            "Transfer from Thankful Client", mails.attachment_ids.raw.decode(errors="ignore") + mails.body_html or ""
        )

    def test_once_per_payment_even_when_matched_again(self):
        invoice = self._invoice(1000.0)
        payment = self._register_payment(invoice, payment_date="2026-11-20")
        self.assertEqual(len(self._send_receipts()), 1)
        invoice.line_ids.remove_move_reconcile()
        (payment.move_id.line_ids + invoice.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertFalse(self._send_receipts())

    def test_no_receipt_for_credit_notes_nor_when_off_for_the_profile(self):
        invoice = self._invoice(1000.0)
        refund = invoice._reverse_moves([{"invoice_date": "2026-11-02"}], cancel=True)
        self.assertFalse(refund.agency_receipt_state, "a credit note is not money received")
        private = self.client.copy({"name": "Private Payer", "is_company": False, "agency_client_profile": "private"})
        self.env.ref("agency_billing_reminders.cadence_private").sudo().send_receipts = False
        payment = self._register_payment(self._invoice(80.0, partner=private), payment_date="2026-11-20")
        self.assertFalse(self._send_receipts())
        self.assertEqual(payment.move_id.agency_receipt_state, "skipped")

    def test_outbound_payments_get_no_receipt(self):
        refund = self.init_invoice(
            "out_refund", partner=self.client, invoice_date="2026-11-01", amounts=[50.0], post=True
        )
        payment = self._register_payment(refund, payment_date="2026-11-20")
        self.assertFalse(payment.move_id.agency_receipt_state)
