from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRun(BillingRunCommon):
    """The invoice a client gets: one per client and period, a section per project."""

    def test_one_invoice_per_client_with_a_section_per_project(self):
        """Orders of several contacts, brands and projects: one invoice, a section per project with its PO,
        lines linked to the orders and analytic distribution per project."""
        self.client_company.agency_billing_policy = "time_materials"
        brand_order = self._order(self.client_brand, self.project_brand, [(self.hours, 10, 6)], po="PO-1")
        web_order = self._order(self.client_department, self.project_web, [(self.hours, 20, 8), (self.fixed, 1, 0)])
        run = self._run()
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.commercial_partner_id, self.client_company)
        sections = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        self.assertEqual(sections.mapped("name"), ["Brand refresh (PO-1)", "Website"])
        products = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(products.mapped("quantity"), [6, 8, 1])
        self.assertEqual(invoice.amount_untaxed, 600 + 800 + 1000)
        self.assertEqual(products.sale_line_ids, (brand_order | web_order).order_line)
        self.assertEqual(brand_order.order_line.qty_invoiced, 6)
        self.assertEqual(
            products[0].analytic_distribution, {str(self.project_brand.account_id.id): 100}, "analytic per project"
        )
        self.assertEqual(products[1].analytic_distribution, {str(self.project_web.account_id.id): 100})
        self.assertEqual(invoice.invoice_payment_term_id, self.client_company.property_payment_term_id)
        self.assertEqual(invoice.ref, "PO-1")
        self.assertEqual(invoice.invoice_date.isoformat(), "2026-11-05")
        self.assertEqual(run.billed_count, 1)
        self.assertEqual(run.user_id, self.env.user)

    def test_retainer_each_period_and_out_of_scope_work_apart(self):
        self._order(self.client_company, self.project_social, [(self.retainer, 12, 0)])
        self._order(self.client_company, self.project_social, [(self.hours, 5, 5)], agency_is_change_order=True)
        invoice = self._run().invoice_ids
        lines = invoice.invoice_line_ids
        self.assertEqual(lines.mapped("display_type"), ["line_section", "product", "line_subsection", "product"])
        self.assertEqual(lines[2].name, "Out of scope")
        self.assertEqual(lines[1].product_id, self.retainer)
        self.assertEqual(lines[1].quantity, 1)
        self.assertEqual(lines[3].product_id, self.hours)
        # the same period again: nothing billed twice
        again = self._run()
        self.assertFalse(again.invoice_ids)
        self.assertEqual(self._line(again).reason, "already_billed")
        # next month: the next unit of the retainer
        december = self._run(date="2026-12-05")
        self.assertEqual(december.invoice_ids.invoice_line_ids.filtered("product_id").mapped("quantity"), [1])

    def test_one_po_per_invoice(self):
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_po_per_invoice": True})
        self._order(self.client_company, self.project_brand, [(self.hours, 10, 10)], po="PO-A")
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)], po="PO-B")
        self._order(self.client_company, self.project_social, [(self.hours, 10, 10)], po="PO-A")
        invoices = self._run().invoice_ids
        self.assertEqual(sorted(invoices.mapped("ref")), ["PO-A", "PO-B"])

    def test_multi_company_and_currency(self):
        self.client_company.agency_billing_policy = "time_materials"
        eur = self.setup_other_currency("EUR")
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._order(self.client_company, self.project_brand, [(self.hours, 10, 10)], pricelist_id=pricelist.id)
        other_company = self.setup_other_company()["company"]
        self.env["sale.order"].with_company(other_company).create(
            {
                "partner_id": self.client_company.id,
                "company_id": other_company.id,
                "order_line": [(0, 0, {"product_id": self.hours.id, "product_uom_qty": 3})],
            }
        ).action_confirm()
        invoices = self._run().invoice_ids
        self.assertEqual(len(invoices), 2, "one invoice per currency")
        self.assertEqual(invoices.currency_id, self.env.company.currency_id | eur)
        self.assertEqual(invoices.company_id, self.env.company, "nothing of another company")

    def test_invoices_keep_their_chatter(self):
        """The run creates invoices without gathering tracking values (Odoo tracks nothing of a
        record in the transaction that creates it anyway); each invoice gets a creation note that
        links the run, and the invoices are handed on in the run's own environment, where what is
        done with them next is tracked."""
        self.env.company.agency_billing_auto_post = True
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        env = self.env(
            context={key: value for key, value in self.env.context.items() if key not in DISABLED_MAIL_CONTEXT}
        )
        run = env["agency.billing.run"].create({"date": "2026-11-05", "partner_ids": [(6, 0, self.client_company.ids)]})
        contexts = []
        Run = type(self.env["agency.billing.run"])
        original = Run._after_invoices_created

        def after_invoices_created(run, moves):
            contexts.append(moves.env.context)
            return original(run, moves)

        with patch.object(Run, "_after_invoices_created", after_invoices_created):
            run.action_bill()
        invoice = run.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(contexts)
        self.assertFalse([context for context in contexts if context.get("mail_notrack")])
        [note] = invoice.message_ids.filtered(lambda message: "billing run" in message.body)
        self.assertIn(f'data-oe-model="agency.billing.run" data-oe-id="{run.id}"', note.body, "the note links the run")
        self.assertTrue(note.is_internal, "the client does not see it")
