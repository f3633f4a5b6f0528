from odoo.exceptions import UserError
from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationActions(AgencyRecommendationCommon):
    """One click on a suggestion: next billing, quotation, dismissal; the overdue option."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager") + cls.env.ref(
            "agency_billing.group_agency_billing_user"
        )
        cls.retainer = cls.env["product.product"].create(
            {
                "name": "Monthly retainer",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 3000,
                "agency_is_retainer": True,
                "taxes_id": [],
            }
        )
        cls._bill(cls.client_company, [(cls.seo, 900)])
        cls._bill(cls._make_clients(6), [(cls.seo, 900), (cls.content, 600)])
        cls.env["agency.recommendation.engine"]._refresh_full(cls.env.company)

    def _retainer_order(self, months=12):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client_company.id,
                "order_line": [(0, 0, {"product_id": self.retainer.id, "product_uom_qty": months, "tax_ids": []})],
            }
        )
        order.action_confirm()
        return order

    def _billing_run(self, date):
        run = self.env["agency.billing.run"].create({"date": date, "partner_ids": [(6, 0, self.client_company.ids)]})
        run.action_bill()
        return run

    def test_add_to_next_billing_lands_on_the_next_billing_run_invoice(self):
        order = self._retainer_order()
        self._billing_run("2026-10-05")  # October: the retainer only
        [suggestion] = self.client_company._agency_suggestion_records()
        suggestion.action_add_to_next_billing()
        self.assertIn(self.content, order.order_line.product_id)
        run = self._billing_run("2026-11-05")
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(set(invoice.invoice_line_ids.product_id.ids), {self.retainer.id, self.content.id})
        self.assertEqual(invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.content).quantity, 1)
        # billed once: the next month has the retainer only
        december = self._billing_run("2026-12-05").invoice_ids
        self.assertEqual(december.invoice_line_ids.filtered("product_id").product_id, self.retainer)

    def test_add_to_next_billing_without_retainer_order_needs_a_billing_policy(self):
        self.client_company.agency_billing_policy = False
        with self.assertRaises(UserError):
            self.client_company._agency_add_to_next_billing(self.content)
        self.client_company.agency_billing_policy = "time_materials"
        order = self.client_company._agency_add_to_next_billing(self.content)
        self.assertEqual(order.state, "sale")
        invoice = self._billing_run("2026-11-05").invoice_ids
        self.assertEqual(invoice.invoice_line_ids.product_id, self.content)

    def test_request_quote_makes_a_quotation_and_an_activity(self):
        salesperson = self.agency_user
        self.client_company.user_id = salesperson
        order = self.client_department._agency_request_quote(self.content)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.client_company)
        self.assertEqual(order.order_line.product_id, self.content)
        self.assertTrue(order.agency_from_suggestion)
        self.assertEqual(order.activity_ids.user_id, salesperson)

    def test_portal_may_only_request_a_current_suggestion_once(self):
        with self.assertRaises(UserError):
            self.client_company.sudo()._agency_request_quote(self.audit, origin="portal")
        order = self.client_company.sudo()._agency_request_quote(self.content, origin="portal")
        self.assertEqual(order.origin, "Requested from the portal")
        again = self.client_company.sudo()._agency_request_quote(self.content, origin="portal")
        self.assertEqual(again, order)
        # staff may quote anything sellable
        self.assertEqual(self.client_company._agency_request_quote(self.audit).order_line.product_id, self.audit)

    def test_dismissed_suggestion_stays_dismissed(self):
        [suggestion] = self.client_company._agency_suggestion_records()
        suggestion.action_dismiss()
        self.assertEqual(self._suggested(), [])
        self.env["agency.recommendation.engine"]._refresh_full(self.env.company)
        self._bill(self._make_clients(2), [(self.seo, 900), (self.content, 600)])
        self.env["agency.recommendation.engine"]._refresh_incremental(self.env.company)
        self.assertEqual(self._suggested(), [])
        # nor in the list of every client's suggestions
        listed = self.env["agency.recommendation"].search([("partner_id", "=", self.client_company.id)])
        self.assertNotIn(self.content, listed.product_id)
        # restored by deleting the dismissal
        self.env["agency.recommendation.dismissal"].search([("partner_id", "=", self.client_company.id)]).unlink()
        self.assertEqual(self._suggested(), [self.content])

    def test_no_upsell_while_invoices_are_overdue(self):
        late = self._bill(self.client_company, [(self.seo, 900)], date="2026-01-01")
        self.assertEqual(self._suggested(), [])
        self.assertIn("overdue", self.client_company.agency_upsell_notice)
        self.env.company.agency_upsell_skip_overdue = False
        self.assertEqual(self._suggested(), [self.content])
        self.env.company.agency_upsell_skip_overdue = True
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=late.ids).create(
            {}
        )._create_payments()
        self.assertEqual(self._suggested(), [self.content])

    def test_add_to_draft_invoice_and_quotation(self):
        draft = self._bill(self.client_company, [(self.seo, 900)], post=False)
        self.assertEqual(draft.agency_suggestion_ids.product_id, self.content)
        draft.agency_suggestion_ids.with_context(
            agency_document_model="account.move", agency_document_id=draft.id
        ).action_add_to_document()
        self.assertIn(self.content, draft.invoice_line_ids.product_id)
        self.assertFalse(draft.agency_suggestion_ids)  # already on it
        quotation = self.env["sale.order"].create({"partner_id": self.client_company.id})
        self.assertEqual(quotation.agency_suggestion_ids.product_id, self.content)
        quotation.agency_suggestion_ids.with_context(
            agency_document_model="sale.order", agency_document_id=quotation.id
        ).action_add_to_document()
        self.assertEqual(quotation.order_line.product_id, self.content)
