from odoo.tests import tagged

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunPolicies(BillingRunCommon):
    """Each billing policy bills what it should, and nothing else."""

    def test_milestones_reached_are_billed_and_nothing_else(self):
        self.client_company.agency_billing_policy = "milestone"
        milestone_product = self.env["product.product"].create(
            {
                "name": "Website build",
                "type": "service",
                "service_policy": "delivered_milestones",
                "list_price": 10000,
                "taxes_id": [(5, 0, 0)],
            }
        )
        order = self._order(self.client_company, self.project_web, [(milestone_product, 1, 0), (self.hours, 10, 10)])
        website = order.order_line[0]
        self.assertEqual(website.qty_delivered_method, "milestones")
        design, launch = self.env["project.milestone"].create(
            [
                {"name": name, "project_id": self.project_web.id, "sale_line_id": website.id, "quantity_percentage": p}
                for name, p in (("Design", 0.4), ("Launch", 0.6))
            ]
        )
        self.assertEqual(self._line(self._run(date="2026-10-05", bill=False)).reason, "nothing_to_bill")
        design.is_reached = True
        october = self._run(date="2026-10-05").invoice_ids
        self.assertEqual(october.invoice_line_ids.filtered("product_id").product_id, milestone_product)
        self.assertAlmostEqual(october.amount_untaxed, 4000, msg="40 % of the website, not the hours")
        launch.is_reached = True
        self.assertAlmostEqual(self._run().invoice_ids.amount_untaxed, 6000)

    def test_time_and_materials_bills_what_was_delivered(self):
        self.client_company.agency_billing_policy = "time_materials"
        order = self._order(self.client_company, self.project_web, [(self.hours, 40, 12)])
        self.assertEqual(self._run(date="2026-10-05").invoice_ids.amount_untaxed, 1200)
        order.order_line.qty_delivered = 30
        november = self._run().invoice_ids
        self.assertEqual(november.invoice_line_ids.filtered("product_id").quantity, 18, "only the new hours")
        self.assertEqual(order.order_line.qty_invoiced, 30)

    def test_deposit_at_signing_deducted_from_the_balance(self):
        self.client_company.write({"agency_billing_policy": "deposit", "agency_deposit_percent": 30})
        order = self._order(self.client_company, self.project_web, [(self.hours, 10, 0)])
        deposit = self._run(date="2026-10-05").invoice_ids
        self.assertEqual(len(deposit), 1)
        self.assertAlmostEqual(deposit.amount_untaxed, 300)
        deposit.action_post()
        self.assertFalse(self._run(date="2026-10-20").invoice_ids, "the deposit is invoiced once")
        order.order_line.filtered(lambda line: not line.is_downpayment).qty_delivered = 10
        final = self._run().invoice_ids
        self.assertAlmostEqual(final.amount_untaxed, 1000 - 300)
        self.assertIn("Deposits already invoiced", final.invoice_line_ids.mapped("name"))

    def test_bill_at_project_end(self):
        self.client_company.agency_billing_policy = "project_end"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self.assertEqual(self._line(self._run(bill=False)).reason, "nothing_to_bill")
        self.project_web.last_update_status = "done"
        self.assertEqual(self._run().invoice_ids.amount_untaxed, 1000)

    def test_installments_through_payment_terms(self):
        terms = self.env.ref("account.account_payment_term_advance_60days")
        self.client_company.write({"agency_billing_policy": "installment", "property_payment_term_id": terms.id})
        self._order(self.client_company, self.project_web, [(self.fixed, 1, 0)])
        invoice = self._run().invoice_ids
        invoice.action_post()
        self.assertEqual(len(invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")), 2)
