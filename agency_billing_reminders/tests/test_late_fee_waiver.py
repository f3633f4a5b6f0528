from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .late_fee_common import AgencyLateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeWaiver(AgencyLateFeeCommon):
    """Staff waive a late fee with a reason: a credit note, the reason in the chatter, never charged again."""

    def test_waive_with_the_wizard(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0)
        invoice = self._overdue_invoice()
        fee = self._charge(invoice, policy, "2026-06-10")
        action = fee.action_agency_waive_late_fee()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Long-standing client, first delay"
        result = wizard.save().action_waive()
        credit_note = self.env["account.move"].browse(result["res_id"])
        self.assertRecordValues(
            credit_note,
            [{"move_type": "out_refund", "state": "posted", "reversed_entry_id": fee.id, "amount_total": 27.5}],
        )
        self.assertEqual(fee.payment_state, "reversed", "the credit note is matched with the unpaid fee")
        self.assertRecordValues(
            invoice.agency_late_fee_ids,
            [{"charged": False, "waive_reason": "Long-standing client, first delay", "refund_move_id": credit_note.id}],
        )
        for move in (fee, invoice):
            self.assertIn("Long-standing client, first delay", move.message_ids[0].body)
        self.assertFalse(fee.agency_late_fee_waivable)
        self.assertFalse(self._charge(invoice, policy, "2026-07-10"), "a waived fee is not charged again")

    def test_waive_needs_a_reason_and_a_fee(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0)
        invoice = self._overdue_invoice()
        fee = self._charge(invoice, policy, "2026-06-10")
        with self.assertRaisesRegex(UserError, "reason"):
            fee._agency_waive_late_fee("   ")
        with self.assertRaises(UserError):
            invoice._agency_waive_late_fee("not a fee")
        fee._agency_waive_late_fee("Goodwill")
        with self.assertRaises(UserError):
            fee._agency_waive_late_fee("twice")
        self.assertEqual(len(fee.reversal_move_ids), 1)

    def test_agency_staff_can_charge_and_waive(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0)
        invoice = self._overdue_invoice().with_user(self.agency_user)
        fee = self._charge(invoice, policy.with_user(self.agency_user), "2026-06-10")
        self.assertEqual(fee.state, "posted")
        credit_note = fee._agency_waive_late_fee("Agreed with the client on the phone")
        self.assertEqual(credit_note.state, "posted")
