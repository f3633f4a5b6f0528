from odoo.tests import tagged

from .common import BillingRunCommon

# Queries to bill one client, the same for N and 2N lines (measured: 133 at 12 lines, 132 at 24), of which
# a batch's fixed costs: 11 for its prototype lines (_prefill_invoice_lines), 3 for its creation notes, and
# the last period's amounts read from the clients' invoices (2 more than from the run lines before)
QUERY_BUDGET = 133


@tagged("post_install", "-at_install")
class TestBillingRunPerformance(BillingRunCommon):
    def _client_with_lines(self, name, lines_per_project):
        client = self.env["res.partner"].create(
            {"name": name, "is_company": True, "agency_billing_policy": "time_materials"}
        )
        products = self.env["product.product"].create(
            [
                {"name": f"{name} service {i}", "type": "service", "invoice_policy": "delivery", "list_price": 10 + i}
                for i in range(lines_per_project)
            ]
        )
        for project in (self.project_brand, self.project_web, self.project_social):
            self._order(client, project, [(product, 10, 5) for product in products])
        return client

    def _bill_within_budget(self, client, lines):
        run = self.env["agency.billing.run"].create({"date": "2026-11-05", "partner_ids": [(6, 0, client.ids)]})
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(QUERY_BUDGET):
            run.action_bill()
            self.env.flush_all()
        self.assertEqual(len(run.invoice_ids), 1)
        self.assertEqual(len(run.invoice_ids.invoice_line_ids.filtered("product_id")), lines)

    def test_queries_per_invoice_do_not_grow_with_lines(self):
        """Billing a client with 2N lines (3 projects) costs no more queries than with N lines."""
        self._bill_within_budget(self._client_with_lines("Small", 4), 12)
        self._bill_within_budget(self._client_with_lines("Large", 8), 24)
