from unittest.mock import patch

from odoo.tests import tagged

from .late_fee_common import AgencyLateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeOnce(AgencyLateFeeCommon):
    """A fee is charged once per invoice and period: again on the same day, by a later run, through the
    reminder step hook, or by a concurrent run that charged it first."""

    def test_same_day_and_later_runs(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0, compensation_amount=40.0)
        invoice = self._overdue_invoice()
        first = self._charge(invoice, policy, "2026-06-10")
        self.assertEqual(first.amount_untaxed, 65.0)
        self.assertFalse(self._charge(invoice, policy, "2026-06-10"), "a retry charges nothing")
        self.assertFalse(self._charge(invoice, policy, "2026-07-10"), "a fixed fee and the compensation: once")
        self.assertEqual(invoice.agency_late_fee_move_ids, first)

    def test_through_the_reminder_step(self):
        """The reminder run calls the hook at a step that charges a fee: the cadence's policy is charged."""
        policy = self._policy(kind="fixed", fixed_amount=25.0)
        cadence = self.env.ref("agency_billing_reminders.cadence_business").sudo()
        cadence.late_fee_policy_id = policy
        step = cadence.step_ids.filtered("charge_late_fee")[:1]
        invoice = self._overdue_invoice()
        fees = invoice._agency_charge_late_fees(step, invoice.invoice_date_due.replace(day=30, month=7))
        self.assertEqual(fees.agency_late_fee_origin_id, invoice)
        again = invoice._agency_charge_late_fees(step, invoice.invoice_date_due.replace(day=30, month=7))
        self.assertFalse(again)
        cadence.late_fee_policy_id = False
        self.assertFalse(invoice._agency_charge_late_fees(step, invoice.invoice_date_due.replace(day=30, month=8)))

    def test_concurrent_run_charged_it_first(self):
        """Another run committed the same charge after this one read the invoice: the unique key (invoice,
        component, first day) refuses the second; nothing is left behind and the run goes on."""
        policy = self._policy(kind="interest", annual_rate=36.5)
        invoice, other = self._overdue_invoice(), self._overdue_invoice()
        self._charge(invoice, policy, "2026-06-10")
        Policy = type(policy)
        moves_before = self.env["account.move"].search_count([])
        # as seen from a transaction that started before the other run committed: no charge yet
        with patch.object(Policy, "_agency_charged", lambda self, inv, components: inv.agency_late_fee_ids.browse()):
            fees = self._charge(invoice | other, policy, "2026-06-20")
        self.assertEqual(fees.agency_late_fee_origin_id, other, "only the other invoice is charged")
        self.assertEqual(self.env["account.move"].search_count([]), moves_before + 1)
        self.assertEqual(len(invoice.agency_late_fee_ids), 1)
        self.assertEqual(str(invoice.agency_late_fee_ids.date_to), "2026-06-10")
