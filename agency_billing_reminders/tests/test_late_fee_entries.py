from odoo.tests import tagged

from .late_fee_common import AgencyLateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeEntries(AgencyLateFeeCommon):
    """A late fee is its own posted invoice referencing the overdue one, with the policy's product, income
    account and tax; the overdue invoice is never touched."""

    def test_fixed_fee_after_grace_days(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0, grace_days=5)
        invoice = self._overdue_invoice()  # due 2026-05-31
        self.assertFalse(self._charge(invoice, policy, "2026-06-05"), "still within the grace days")
        fee = self._charge(invoice, policy, "2026-06-06")
        self.assertRecordValues(
            fee,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": self.client.id,
                    "agency_late_fee_origin_id": invoice.id,
                    "invoice_origin": invoice.name,
                    "amount_untaxed": 25.0,
                    "amount_tax": 2.5,
                    "amount_total": 27.5,
                }
            ],
        )
        self.assertEqual(fee.invoice_line_ids.product_id, policy.product_id)
        self.assertEqual(fee.sending_data["author_user_id"], self.env.uid, "sent by Odoo's background sending")
        receivable = self.client.property_account_receivable_id
        tax_account = self.fee_tax_account
        self.assertFeeLines(
            fee,
            [
                (self.fee_account, self.fee_tax, 0.0, 25.0),
                (tax_account, self.env["account.tax"], 0.0, 2.5),
                (receivable, self.env["account.tax"], 27.5, 0.0),
            ],
        )
        self.assertEqual(invoice.amount_total, 1000.0, "the overdue invoice is not edited")
        self.assertEqual(invoice.agency_late_fee_count, 1)
        self.assertEqual(self.client.agency_late_fee_count, 1)
        for action in (invoice.action_agency_view_late_fees(), self.client.action_agency_view_late_fees()):
            self.assertEqual(self.env["account.move"].search(action["domain"]), fee)

    def test_percent_of_the_amount_still_due(self):
        policy = self._policy(kind="percent", percent=1.5, tax_ids=False)
        invoice = self._overdue_invoice(amount=1000.0)
        self._register_payment(invoice, amount=333.0, payment_date="2026-06-02")
        fee = self._charge(invoice, policy, "2026-06-10")
        # 1.5 % of 667.00 = 10.005, rounded to the cent
        self.assertEqual(fee.amount_total, 10.01)
        self.assertEqual(fee.amount_tax, 0.0)
        self.assertIn("1.5 %", fee.invoice_line_ids.name)

    def test_interest_split_where_the_rate_changes(self):
        """Interest at the reference rate + 8 points: a new half-year's rate inside the period gives a line
        of its own, each line rounded to the cent."""
        company = self.env.company
        Rate = self.env["agency.reference.rate"]
        Rate.create({"date_from": "2026-01-01", "rate": 2.15, "company_id": company.id})
        Rate.create({"date_from": "2026-07-01", "rate": 3.0, "company_id": company.id})
        policy = self._policy(kind="interest", use_reference_rate=True, annual_rate=8.0, tax_ids=False)
        invoice = self._overdue_invoice(amount=1000.0, invoice_date="2026-05-21")  # due 2026-06-20
        fee = self._charge(invoice, policy, "2026-07-10")
        # 2026-06-21..30: 10 days at 10.15 % = 2.7808 → 2.78; 2026-07-01..10: 10 days at 11 % = 3.0137 → 3.01
        self.assertEqual(fee.invoice_line_ids.sorted("id").mapped("price_unit"), [2.78, 3.01])
        self.assertEqual(fee.amount_total, 5.79)
        self.assertRecordValues(
            invoice.agency_late_fee_ids,
            [{"component": "interest", "amount": 5.79, "date_to": fee.invoice_date}],
        )
        self.assertEqual(str(invoice.agency_late_fee_ids.date_from), "2026-06-21")
        self.assertFeeLines(
            fee,
            [
                (self.fee_account, self.env["account.tax"], 0.0, 2.78),
                (self.fee_account, self.env["account.tax"], 0.0, 3.01),
                (self.client.property_account_receivable_id, self.env["account.tax"], 5.79, 0.0),
            ],
        )
        # the next charge starts the day after: 2026-07-11..20, 10 days at 11 %
        second = self._charge(invoice, policy, "2026-07-20")
        self.assertEqual(second.amount_total, 3.01)
        self.assertEqual(str(invoice.agency_late_fee_ids.sorted("date_from")[-1].date_from), "2026-07-11")

    def test_interest_follows_partial_payments(self):
        """A partial payment lowers the amount bearing interest from its date: a new line from that day."""
        policy = self._policy(kind="interest", annual_rate=36.5, tax_ids=False)  # 0.1 % a day
        invoice = self._overdue_invoice(amount=1000.0)  # due 2026-05-31
        self._register_payment(invoice, amount=400.0, payment_date="2026-06-06")
        fee = self._charge(invoice, policy, "2026-06-10")
        # 2026-06-01..05: 5 days on 1,000.00 = 5.00; 2026-06-06..10: 5 days on 600.00 = 3.00
        self.assertEqual(fee.invoice_line_ids.sorted("id").mapped("price_unit"), [5.0, 3.0])
        self.assertIn("600.00", fee.invoice_line_ids.sorted("id")[-1].name)

    def test_installments_each_from_its_own_due_date(self):
        """30 % now and 70 % in 60 days: only the installment due bears interest and counts as overdue."""
        invoice = self.init_invoice("out_invoice", partner=self.client, invoice_date="2026-05-01", amounts=[1000.0])
        invoice.invoice_payment_term_id = self.env.ref("account.account_payment_term_advance_60days")
        invoice.action_post()  # 300.00 due 2026-05-01, 700.00 due 2026-06-30
        interest = self._policy(kind="interest", annual_rate=36.5, tax_ids=False)  # 0.1 % a day
        fee = self._charge(invoice, interest, "2026-06-10")
        # 2026-05-02..06-10: 40 days on 300.00 = 12.00
        self.assertEqual(fee.invoice_line_ids.mapped("price_unit"), [12.0])
        self.assertIn("installment", fee.invoice_line_ids.name)
        later = self._charge(invoice, interest, "2026-07-10")
        # 2026-06-11..07-10: 30 days on 300.00 = 9.00; 2026-07-01..10: 10 days on 700.00 = 7.00
        self.assertEqual(sorted(later.invoice_line_ids.mapped("price_unit")), [7.0, 9.0])
        percent = self._policy(kind="percent", percent=10.0, tax_ids=False)
        other = self.init_invoice("out_invoice", partner=self.client, invoice_date="2026-05-01", amounts=[1000.0])
        other.invoice_payment_term_id = self.env.ref("account.account_payment_term_advance_60days")
        other.action_post()
        self.assertEqual(self._charge(other, percent, "2026-06-10").amount_total, 30.0, "10 % of the 300.00 due")

    def test_cap(self):
        policy = self._policy(kind="interest", annual_rate=36.5, cap_amount=15.0, tax_ids=False)
        invoice = self._overdue_invoice(amount=1000.0)  # 1.00 a day
        first = self._charge(invoice, policy, "2026-06-10")  # 10 days
        self.assertEqual(first.amount_total, 10.0)
        second = self._charge(invoice, policy, "2026-06-20")  # 10 more days, 5.00 left under the cap
        self.assertEqual(second.amount_total, 5.0)
        self.assertIn("capped", second.invoice_line_ids.name)
        self.assertFalse(self._charge(invoice, policy, "2026-06-30"), "the cap is reached")
        self.assertEqual(sum(invoice.agency_late_fee_ids.mapped("amount")), 15.0)

    def test_no_fee_on_a_fee_nor_on_a_paid_or_disputed_invoice(self):
        policy = self._policy(kind="fixed", fixed_amount=25.0)
        paid, disputed, late = (self._overdue_invoice() for _i in range(3))
        self._register_payment(paid, payment_date="2026-06-01")
        disputed.action_toggle_block_payment()
        fee = self._charge(paid | disputed | late, policy, "2026-06-10")
        self.assertEqual(fee.agency_late_fee_origin_id, late)
        self.assertFalse(self._charge(fee, policy, "2026-09-30"), "no late fee on a late fee")
