from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon

from .receipt_common import AgencyReceiptMixin


@tagged("post_install", "-at_install")
class TestPaymentReceiptCrash(AgencyBillingCommon, AgencyReceiptMixin):
    """The receipt's mail and the flag saying it was sent are written in one transaction: a crash after the
    mail is queued rolls both back, and the next run sends the receipt once."""

    def test_crash_after_the_mail_is_queued(self):
        client = self.env["res.partner"].create(
            {"name": "Crash Test Ltd", "is_company": True, "email": "c@example.com"}
        )
        invoice = self.init_invoice("out_invoice", partner=client, invoice_date="2026-11-01", amounts=[90.0], post=True)
        move = self._register_payment(invoice, payment_date="2026-11-20").move_id
        Mail = self.env["mail.mail"]
        mails_before = Mail.search_count([])
        with (
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),  # the cron's transaction, rolled back by the crash
            patch.object(type(move), "message_post", side_effect=RuntimeError("worker killed")),
        ):
            move._agency_send_receipts()
        self.assertEqual(move.agency_receipt_state, "to_send")
        self.assertEqual(Mail.search_count([]), mails_before, "no mail left in the queue")
        self.assertEqual(len(self._send_receipts()), 1)
        self.assertEqual(move.agency_receipt_state, "sent")

    def test_a_receipt_that_cannot_be_made_does_not_hold_up_the_others(self):
        client = self.env["res.partner"].create({"name": "Two Payers", "is_company": True, "email": "t@example.com"})
        invoices = [
            self.init_invoice("out_invoice", partner=client, invoice_date="2026-11-01", amounts=[amount], post=True)
            for amount in (10.0, 20.0)
        ]
        broken, fine = (self._register_payment(invoice, payment_date="2026-11-20").move_id for invoice in invoices)
        original = type(broken)._agency_receipt_values

        def values(move):
            if move == broken:
                raise ValueError("template edited wrong")
            return original(move)

        with (
            patch.object(type(broken), "_agency_receipt_values", values),
            mute_logger("odoo.addons.agency_billing_reminders.models.account_move_receipt"),
        ):
            mails = self._send_receipts()
        self.assertEqual(len(mails), 1)
        self.assertEqual((broken.agency_receipt_state, fine.agency_receipt_state), ("skipped", "sent"))
        self.assertIn("template edited wrong", broken.message_ids[0].body)
