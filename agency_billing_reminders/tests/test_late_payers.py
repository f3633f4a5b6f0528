from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tests import tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestLatePayers(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.on_time_client = cls.env["res.partner"].create({"name": "Punctual Ltd", "is_company": True})
        cls.late_invoice = cls.init_invoice(
            "out_invoice", partner=cls.client_brand, invoice_date="2026-09-01", amounts=[1000.0], post=True
        )
        cls.later_invoice = cls.init_invoice(
            "out_invoice", partner=cls.client_department, invoice_date="2026-10-15", amounts=[500.0], post=1
        )
        cls.not_due_invoice = cls.init_invoice(
            "out_invoice", partner=cls.client_company, invoice_date="2026-11-20", amounts=[200.0], post=True
        )
        cls.on_time_invoice = cls.init_invoice(
            "out_invoice", partner=cls.on_time_client, invoice_date="2026-11-20", amounts=[300.0], post=True
        )

    @freeze_time("2026-11-22")
    def test_overdue_is_summed_on_the_company_across_contacts(self):
        client = self.client_company
        self.assertEqual(client.agency_overdue_invoice_count, 2)
        late_total = self.late_invoice.amount_total_signed + self.later_invoice.amount_total_signed
        self.assertAlmostEqual(client.agency_overdue_amount, late_total)
        # 30 days terms: the oldest was due on 1 October
        self.assertEqual(self.late_invoice.invoice_date_due.isoformat(), "2026-10-01")
        self.assertEqual(client.agency_overdue_days, 52)
        open_total = late_total + self.not_due_invoice.amount_total_signed
        self.assertAlmostEqual(client.agency_open_balance, open_total)
        # a contact shows its company's figures
        self.assertAlmostEqual(self.client_department.agency_overdue_amount, late_total)
        self.assertFalse(self.on_time_client.agency_overdue_amount)

    @freeze_time("2026-11-22")
    def test_late_filter_and_paid_invoices(self):
        Partner = self.env["res.partner"]
        late = Partner.search([("agency_overdue_amount", ">", 0), ("parent_id", "=", False)])
        self.assertIn(self.client_company, late)
        self.assertNotIn(self.on_time_client, late)
        self.assertIn(self.on_time_client, Partner.search([("agency_overdue_amount", "=", 0)]))
        # paid in full: no longer late; a partial payment leaves the rest overdue
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.late_invoice.ids
        ).create({"payment_date": "2026-11-21"})._create_payments()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.later_invoice.ids
        ).create({"payment_date": "2026-11-21", "amount": 100.0})._create_payments()
        self.client_company.invalidate_recordset()
        self.assertEqual(self.client_company.agency_overdue_invoice_count, 1)
        self.assertAlmostEqual(self.client_company.agency_overdue_amount, self.later_invoice.amount_residual)

    @freeze_time("2026-11-22")
    def test_open_overdue_invoices_action(self):
        action = self.client_department.action_agency_open_overdue_invoices()
        invoices = self.env["account.move"].search(action["domain"])
        self.assertEqual(invoices, self.late_invoice | self.later_invoice)

    @freeze_time("2026-11-22")
    def test_search_by_days_late_and_invoice_count(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        companies = Domain("id", "in", (self.client_company | self.on_time_client).ids)
        # Acme: 2 overdue invoices, the oldest 52 days late; Punctual: nothing overdue
        self.assertEqual(Partner.search(companies & Domain("agency_overdue_days", ">", 30)), self.client_company)
        self.assertFalse(Partner.search(companies & Domain("agency_overdue_days", ">", 60)))
        self.assertEqual(Partner.search(companies & Domain("agency_overdue_days", "<", 30)), self.on_time_client)
        self.assertEqual(
            Partner.search(companies & Domain("agency_overdue_invoice_count", ">=", 2)), self.client_company
        )
        self.assertEqual(
            Partner.search(companies & Domain("agency_overdue_invoice_count", "=", 0)), self.on_time_client
        )
        self.assertEqual(
            Partner.search(companies & Domain("agency_overdue_invoice_count", "in", [2, 5])), self.client_company
        )
        with self.assertRaises(UserError):
            Partner.search(Domain("agency_overdue_days", ">", "many"))

    @freeze_time("2026-11-22")
    def test_overdue_definition(self):
        Move = self.env["account.move"]
        overdue = Move.search(Move._agency_overdue_domain())
        self.assertIn(self.late_invoice, overdue)
        self.assertNotIn(self.not_due_invoice, overdue)
        # as seen at an earlier date, the October invoice was not due yet
        self.assertNotIn(self.later_invoice, Move.search(Move._agency_overdue_domain(date="2026-11-01")))
        # a blocked (disputed) invoice is still owed but not overdue; a draft or a reversed one is neither
        self.late_invoice.action_toggle_block_payment()
        self.assertEqual(self.late_invoice.payment_state, "blocked")
        self.assertNotIn(self.late_invoice, Move.search(Move._agency_overdue_domain()))
        self.assertIn(self.late_invoice, Move.search(Move._agency_open_domain()))
        draft = self.init_invoice("out_invoice", partner=self.client_company, invoice_date="2026-08-01", amounts=[50.0])
        self.assertNotIn(draft, Move.search(Move._agency_overdue_domain()))
        self.later_invoice._reverse_moves(cancel=True)
        self.assertEqual(self.later_invoice.payment_state, "reversed")
        self.assertNotIn(self.later_invoice, Move.search(Move._agency_overdue_domain()))
