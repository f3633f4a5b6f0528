import io

from pypdf import PdfReader

from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestPaymentReceiptPdf(AgencyBillingCommon):
    """The receipt attached to the mail is a real one-page PDF."""

    def test_real_pdf(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.client_company, invoice_date="2026-11-01", amounts=[500.0], post=True
        )
        payment = self._register_payment(invoice, amount=200.0, payment_date="2026-11-20")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("agency_billing_reminders.action_report_agency_payment_receipt", payment.move_id.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
