from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-10")
class TestReminderHolds(AgencyReminderCommon):
    """The public API that suspends reminders, used by staff and by the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.client_brand, "2026-10-01", 1000.0)

    def _count(self):
        return self.env["agency.reminder.hold"].search_count([])

    def test_promise_to_pay(self):
        hold = self.invoice._agency_promise_to_pay("2026-11-20", amount=500.0, note="Paid by the 20th")
        self.assertRecordValues(
            hold,
            [
                {
                    "kind": "promise",
                    "partner_id": self.client_company.id,
                    "move_id": self.invoice.id,
                    "amount": 500.0,
                    "origin": "staff",
                    "state": "open",
                }
            ],
        )
        self.assertEqual(str(hold.date_until), "2026-11-20")
        self.assertIn("Promise to pay", self.invoice.message_ids[0].body)
        activity = self.invoice.activity_ids
        self.assertEqual(activity.user_id, self.salesperson, "the client's salesperson is told")

    def test_bad_input_saves_nothing(self):
        count = self._count()
        with self.assertRaisesRegex(ValidationError, "in the past"):
            self.invoice._agency_promise_to_pay("2026-11-01")
        with self.assertRaisesRegex(ValidationError, "more than what is due"):
            self.invoice._agency_promise_to_pay("2026-11-20", amount=5000.0)
        with self.assertRaisesRegex(ValidationError, "more than zero"):
            self.invoice._agency_promise_to_pay("2026-11-20", amount=-1.0)
        with self.assertRaisesRegex(ValidationError, "reason"):
            self.invoice._agency_dispute("  ")
        with self.assertRaisesRegex(ValidationError, "in the past"):
            self.client_company._agency_pause_reminders("2026-11-09", "Holidays")
        with self.assertRaises(UserError):
            (self.invoice | self._invoice(self.client_company, "2026-10-02", 10.0))._agency_claim_paid()
        self._register_payment(self.invoice)
        with self.assertRaisesRegex(ValidationError, "not open"):
            self.invoice._agency_pause_reminders("2026-11-20", "Asked by the client")
        self.assertEqual(self._count(), count)
        self.assertEqual(self.invoice.payment_state, "paid")

    def test_dispute_whole_invoice_blocks_it(self):
        hold = self.invoice._agency_dispute("The banner was never delivered")
        self.assertEqual(self.invoice.payment_state, "blocked")
        self.assertEqual((hold.kind, hold.reason), ("dispute", "The banner was never delivered"))
        self.assertNotIn(
            self.invoice, self.env["account.move"].search(self.env["account.move"]._agency_overdue_domain())
        )
        hold.action_resolve()
        self.assertEqual(self.invoice.payment_state, "not_paid", "resolving the dispute unblocks the invoice")
        self.assertEqual(hold.state, "resolved")

    def test_dispute_one_section_leaves_the_invoice_open(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.client_company, invoice_date="2026-10-01", amounts=[100.0]
        )
        invoice.write(
            {"invoice_line_ids": [(0, 0, {"display_type": "line_section", "name": "Website", "sequence": 0})]}
        )
        invoice.action_post()
        section = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        hold = invoice._agency_dispute("Not what we ordered", section_line=section)
        self.assertEqual(hold.section_line_id, section)
        self.assertNotEqual(invoice.payment_state, "blocked")
        self.assertAlmostEqual(section._agency_section_total(), invoice.amount_total)
        with self.assertRaisesRegex(ValidationError, "project section"):
            self.invoice._agency_dispute("Wrong", section_line=section)

    def test_claim_paid_and_pause(self):
        claim = self.invoice._agency_claim_paid(reference="BANK-42")
        self.assertEqual((claim.kind, claim.reference, str(claim.date_until)), ("paid_claim", "BANK-42", "2026-11-15"))
        pause = self.client_brand._agency_pause_reminders("2026-12-01", "Annual closing")
        self.assertEqual(pause.partner_id, self.client_company, "held by the commercial entity")
        self.assertFalse(pause.move_id)
        self.assertIn("paused until", self.client_company.message_ids[0].body)

    def test_portal_origin_and_access(self):
        portal_user = self._create_new_portal_user()
        portal_user.partner_id.parent_id = self.client_company
        hold = self.invoice.with_user(portal_user).sudo()._agency_claim_paid(origin="portal")
        self.assertEqual(hold.origin, "portal")
        self.assertTrue(self.invoice.activity_ids, "someone at the agency is told")
        other = self._client("Globex Corp")
        other_hold = other._agency_pause_reminders("2026-12-01", "Closing")
        visible = self.env["agency.reminder.hold"].with_user(portal_user).search([])
        self.assertEqual(visible, hold)
        self.assertNotIn(other_hold, visible)
        with self.assertRaises(ValidationError):
            self.invoice.sudo()._agency_claim_paid(origin="elsewhere")

    def test_customer_raised_hold_without_salesperson_goes_to_the_agency(self):
        """What a customer raises from the portal is followed up at the agency, never by the customer."""
        self.client_company.user_id = False
        self.invoice.invoice_user_id = False
        portal_user = self._create_new_portal_user()
        portal_user.partner_id.parent_id = self.client_company
        self.invoice.with_user(portal_user).sudo()._agency_claim_paid(reference="TRX-1", origin="portal")
        responsible = self.invoice.activity_ids.user_id
        self.assertEqual(len(responsible), 1)
        self.assertFalse(responsible.share, "an agency user, not the portal customer")
