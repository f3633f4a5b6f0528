from odoo.tests import tagged

from .test_billing_run import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunPolicies(BillingRunCommon):
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

    def test_rerun_of_a_period_bills_nothing_twice_and_drops_nothing(self):
        """A run killed after billing some clients: the next run bills the others, and only them."""
        other = self._two_clients_to_bill(other_hours=5)
        first = self._run()  # as if killed before reaching Globex
        second = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(second).reason, "already_billed")
        self.assertEqual(self._line(second, other).state, "billed")
        invoices = first.invoice_ids | second.invoice_ids
        self.assertEqual(len(invoices), 2)
        self.assertEqual(sorted(invoices.mapped("amount_untaxed")), [500, 1000])

    def test_a_client_locked_by_another_worker_is_left_to_it(self):
        """A real second transaction holds the client's row: this run skips the client without waiting."""
        partner = self.env.ref("base.main_partner")  # committed, so the other transaction sees it
        run = self.env["agency.billing.run"].create({"date": "2026-11-05"})
        with self.registry.cursor() as other_cr:
            # as another worker's try_lock_for_update(allow_referencing=True) does
            other_cr.execute("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [partner.id])
            self.assertTrue(other_cr.fetchall(), "the other worker holds the client")
            run._bill_partners(partner)
            other_cr.rollback()
        line = self._line(run, partner)
        self.assertEqual((line.state, line.reason), ("skipped", "locked"))
        run._bill_partners(partner)  # released: handled now (here: nothing to bill)
        lines = self._line(run, partner)
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.filtered(lambda line: line.reason == "locked"), line, "locked only the first time")
