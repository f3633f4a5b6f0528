from freezegun import freeze_time

from odoo.fields import Domain
from odoo.tests import tagged

from .common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestAccountApi(AgencyBillingCommon):
    """ "Open", "overdue", "disputed", "to remind", the due installments and the account summary: the base
    addon's public API, which late payers, reminders and the portal all use, so that they agree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 30 days terms (the client's): due 2026-10-01, 2026-10-31 and 2026-12-20
        invoice = cls.init_invoice
        cls.late = invoice("out_invoice", partner=cls.client_brand, invoice_date="2026-09-01", amounts=[1000], post=1)
        cls.later = invoice("out_invoice", partner=cls.client_company, invoice_date="2026-10-01", amounts=[500], post=1)
        cls.not_due = invoice(
            "out_invoice", partner=cls.client_company, invoice_date="2026-11-20", amounts=[200], post=1
        )
        cls.refund = invoice("out_refund", partner=cls.client_company, invoice_date="2026-11-01", amounts=[50], post=1)
        cls.draft = invoice("out_invoice", partner=cls.client_company, invoice_date="2026-08-01", amounts=[70])
        cls.Move = cls.env["account.move"]

    def _search(self, domain):
        return self.Move.search(domain & Domain("partner_id", "child_of", self.client_company.id))

    @freeze_time("2026-11-22")
    def test_open_overdue_and_to_remind(self):
        Move = self.Move
        self.assertEqual(self._search(Move._agency_open_domain()), self.late | self.later | self.not_due | self.refund)
        self.assertEqual(self._search(Move._agency_to_remind_domain()), self.late | self.later | self.not_due)
        self.assertEqual(self._search(Move._agency_overdue_domain()), self.late | self.later)
        # as seen at an earlier date
        self.assertEqual(self._search(Move._agency_overdue_domain(date="2026-10-15")), self.late)

    @freeze_time("2026-11-22")
    def test_blocked_is_owed_but_never_overdue_nor_reminded(self):
        """As in Odoo's own portal (``_get_overdue_invoices_domain``): a blocked (disputed) invoice."""
        Move = self.Move
        self.late.action_toggle_block_payment()
        self.assertEqual(self.late.payment_state, "blocked")
        self.assertIn(self.late, self._search(Move._agency_open_domain()))
        self.assertEqual(self._search(Move._agency_disputed_domain()), self.late)
        self.assertNotIn(self.late, self._search(Move._agency_to_remind_domain()))
        self.assertNotIn(self.late, self._search(Move._agency_overdue_domain()))
        summary = self.client_company._agency_account_summary()[self.client_company.id]
        self.assertAlmostEqual(summary["overdue"], self.later.amount_total_signed)
        self.assertAlmostEqual(
            summary["balance"],
            sum((self.late | self.later | self.not_due | self.refund).mapped("amount_residual_signed")),
        )

    @freeze_time("2026-11-22")
    def test_paid_in_payment_and_reversed_are_settled(self):
        Move = self.Move
        self._register_payment(self.later)
        self.assertIn(self.later.payment_state, ("paid", "in_payment"))
        self.not_due._reverse_moves(cancel=True)
        self.assertEqual(self.not_due.payment_state, "reversed")
        self.assertEqual(self._search(Move._agency_open_domain()), self.late | self.refund)

    @freeze_time("2026-11-22")
    def test_partial_payment_leaves_the_residual_owed(self):
        self._register_payment(self.late, amount=400)
        self.assertEqual(self.late.payment_state, "partial")
        self.assertIn(self.late, self._search(self.Move._agency_overdue_domain()))
        summary = self.client_company._agency_account_summary()[self.client_company.id]
        self.assertAlmostEqual(summary["overdue"], self.late.amount_residual_signed + self.later.amount_residual_signed)

    @freeze_time("2026-11-22")
    def test_installments_fall_due_one_by_one(self):
        """Each installment of a multi-line payment term is due on its own date for its own amount."""
        terms = self.env.ref("account.account_payment_term_advance_60days")  # 30 % now, 70 % at 60 days
        invoice = self.init_invoice(
            "out_invoice", partner=self.client_company, invoice_date="2026-11-01", amounts=[1000], post=False
        )
        invoice.invoice_payment_term_id = terms
        invoice.action_post()
        Line = self.env["account.move.line"]
        due = Line.search(Line._agency_due_lines_domain("2026-11-22") & Domain("move_id", "=", invoice.id))
        self.assertEqual(len(due), 1, "the first installment only")
        self.assertAlmostEqual(due.amount_residual, invoice.amount_total * 0.3)
        unpaid = Line.search(Line._agency_due_lines_domain() & Domain("move_id", "=", invoice.id))
        self.assertEqual(len(unpaid), 2)
        # one "overdue" everywhere: the invoice is overdue from its first installment's date, for that
        # installment's amount (the portal, the account summary, Late Clients and the reminders alike)
        self.assertIn(invoice, self._search(self.Move._agency_overdue_domain()), "overdue from its first due date")
        self.assertNotIn(invoice, self._search(self.Move._agency_overdue_domain("2026-11-01")))
        before = self.client_company._agency_account_summary()[self.client_company.id]
        self._register_payment(invoice, amount=due.amount_residual)
        after = self.client_company._agency_account_summary()[self.client_company.id]
        self.assertAlmostEqual(before["overdue"] - after["overdue"], invoice.amount_total * 0.3)
        self.assertEqual(before["overdue_count"] - after["overdue_count"], 1)
        self.assertNotIn(invoice, self._search(self.Move._agency_overdue_domain()), "its second one is not due yet")

    @freeze_time("2026-11-22")
    def test_account_summary(self):
        summary = self.client_company._agency_account_summary()
        self.assertEqual(set(summary), {self.client_company.id})
        values = summary[self.client_company.id]
        self.assertEqual(values["overdue_count"], 2)
        self.assertEqual(values["oldest_due_date"].isoformat(), "2026-10-01")
        self.assertEqual(values["next_due_date"].isoformat(), "2026-12-20")
        # contacts get their company's figures: three aggregates for all of them (and their companies' ids)
        with self.assertQueryCount(4):
            self.assertEqual(
                (self.client_brand | self.client_department)._agency_account_summary()[self.client_company.id], values
            )
