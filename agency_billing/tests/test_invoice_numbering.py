from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceNumbering(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.company_data["default_journal_sale"].copy(
            {
                "name": "Agency invoices",
                "code": "AGY",
                "agency_numbering": True,
                "agency_service_code": "WEB",
                "default_account_id": cls.company_data["default_account_revenue"].id,
            }
        )
        cls.other_client = cls.env["res.partner"].create({"name": "Globex", "is_company": True})
        cls.other_client.agency_client_code = "GLOBEX"

    def _invoice(self, partner, date, post=True, move_type="out_invoice", journal=None):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date,
                "journal_id": (journal or self.journal).id,
                "invoice_line_ids": [(0, 0, {"name": "Work", "quantity": 1, "price_unit": 100, "tax_ids": [(5,)]})],
            }
        )
        if post:
            move.action_post()
        return move

    def test_one_gapless_sequence_per_client_and_month(self):
        names = [
            self._invoice(partner, date).name
            for partner, date in (
                (self.client_brand, "2026-11-03"),
                (self.client_company, "2026-11-10"),
                (self.other_client, "2026-11-10"),
                (self.client_department, "2026-11-28"),
                (self.client_company, "2026-12-01"),
            )
        ]
        self.assertEqual(
            names,
            ["ACME-2026-11-0001", "ACME-2026-11-0002", "GLOBEX-2026-11-0001", "ACME-2026-11-0003", "ACME-2026-12-0001"],
        )

    def test_no_gap_when_a_draft_is_deleted(self):
        self._invoice(self.client_company, "2026-11-03")
        draft = self._invoice(self.client_company, "2026-11-04", post=False)
        draft.unlink()
        self.assertEqual(self._invoice(self.client_company, "2026-11-05").name, "ACME-2026-11-0002")

    def test_service_code_and_yearly_pattern(self):
        self.journal.agency_number_pattern = "{client}/{service}/{year}/"
        self.assertEqual(self._invoice(self.client_company, "2026-11-03").name, "ACME/WEB/2026/0001")
        self.assertEqual(self._invoice(self.client_company, "2026-12-03").name, "ACME/WEB/2026/0002")

    def test_credit_notes_have_their_own_numbers(self):
        self._invoice(self.client_company, "2026-11-03")
        refund = self._invoice(self.client_company, "2026-11-04", move_type="out_refund")
        self.assertEqual(refund.name, "CN-ACME-2026-11-0001")

    def test_search_by_client_code_and_number(self):
        invoice = self._invoice(self.client_brand, "2026-11-03")
        Move = self.env["account.move"]
        self.assertEqual(Move.search([("agency_client_code", "=", "ACME")]), invoice)
        self.assertEqual(Move.search([("name", "ilike", "ACME-2026-11")]), invoice)

    def test_other_journals_keep_standard_numbers(self):
        self._invoice(self.client_company, "2026-11-03")
        standard = self._invoice(self.client_company, "2026-11-03", journal=self.company_data["default_journal_sale"])
        self.assertFalse(standard.name.startswith("ACME"))

    def test_bad_patterns_are_refused(self):
        for pattern in ("{client}-{month}-", "{client}-{year}-{foo}-", "{client}-{year}"):
            with self.subTest(pattern=pattern), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.journal.agency_number_pattern = pattern

    def test_billing_run_uses_the_coded_journal(self):
        self.env.company.agency_billing_journal_id = self.journal
        self.env.user.group_ids += self.env.ref("agency_billing.group_agency_billing_user")
        product = self.env["product.product"].create({"name": "Fee", "type": "service", "invoice_policy": "order"})
        order = self.env["sale.order"].create(
            {"partner_id": self.client_company.id, "order_line": [(0, 0, {"product_id": product.id, "price_unit": 50})]}
        )
        order.action_confirm()
        self.client_company.agency_billing_policy = "time_materials"
        run = self.env["agency.billing.run"].create(
            {"date": "2026-11-05", "partner_ids": [(6, 0, self.client_company.ids)]}
        )
        run.action_bill()
        run.invoice_ids.action_post()
        self.assertEqual(run.invoice_ids.name, "ACME-2026-11-0001")
