from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.account.models.account_move_line import AccountMoveLine

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunPrefill(BillingRunCommon):
    """The pre-filling of invoice lines (``_prefill_invoice_lines``) gives them exactly the values Odoo
    computes itself: the guard of what an Odoo upgrade is most likely to break."""

    def _untaxed_client(self):
        """A client billed without taxes: Odoo keeps the line amounts it is given as they are."""
        client = self.env["res.partner"].create(
            {"name": "Untaxed", "is_company": True, "agency_billing_policy": "time_materials"}
        )
        order = self._order(client, self.project_web, [(self.hours, 7, 3), (self.fixed, 1, 0)])
        order.order_line[0].write({"price_unit": 33.33, "discount": 7.5})
        order.order_line[1].write({"price_unit": 1234.56, "discount": 12.25})
        return client

    def _taxed_client(self):
        """A client whose orders have taxes (excluded and included), discounts and awkward prices,
        and a fiscal position that books its sales on another income account."""
        income = self.company_data["default_account_revenue"]
        export_income = income.copy({"code": "EXPINC", "name": "Export sales"})
        fiscal_position = self.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "account_ids": [(0, 0, {"account_src_id": income.id, "account_dest_id": export_income.id})],
            }
        )
        client = self.env["res.partner"].create(
            {
                "name": "Taxed",
                "is_company": True,
                "agency_billing_policy": "time_materials",
                "property_account_position_id": fiscal_position.id,
            }
        )
        tax_excluded = self.company_data["default_tax_sale"]
        tax_included = self.env["account.tax"].create(
            {"name": "Included 21%", "amount": 21, "type_tax_use": "sale", "price_include_override": "tax_included"}
        )
        order = self._order(client, self.project_web, [(self.hours, 7, 3), (self.hours, 5, 5), (self.fixed, 1, 0)])
        for line, (price, discount, taxes) in zip(
            order.order_line,
            [(33.33, 7.5, tax_excluded), (19.99, 0, tax_excluded + tax_included), (1234.56, 12.25, tax_included)],
            strict=True,
        ):
            line.write({"price_unit": price, "discount": discount, "tax_ids": [(6, 0, taxes.ids)]})
        self._order(client, self.project_brand, [(self.hours, 3, 2.5)])
        return client

    def test_invoice_amounts_are_odoos(self):
        """The run gives invoice lines their amounts up front (so that Odoo does not write every line
        again) and the values Odoo precomputes (account, partner, currency, ...): they are exactly
        those Odoo computes itself, taxes, accounts of the fiscal position and totals included,
        whatever the rounding method, and no line is written again."""
        clients = self._taxed_client() + self._untaxed_client()
        written = []  # display types of the lines whose amounts Odoo writes again
        original_write = AccountMoveLine.write

        def write(lines, vals):
            if vals.keys() & {"balance", "amount_currency"}:
                written.extend(lines.mapped("display_type"))
            return original_write(lines, vals)

        for client, rounding in [
            (client, rounding) for client in clients for rounding in ("round_per_line", "round_globally")
        ]:
            with self.subTest(client=client.name, rounding=rounding):
                self.env.company.tax_calculation_rounding_method = rounding
                run = self.env["agency.billing.run"].create({"date": "2026-11-05"})
                [plan] = [plan for plan in run._plan_partners(client) if plan.to_bill]
                odoos = run._prepare_invoice_vals(plan)  # the order lines' values only
                ours = run._prepare_invoice_vals(plan)
                run._prefill_invoice_lines([ours])
                odoos["agency_billing_key"] = False
                for command in ours["invoice_line_ids"]:
                    self.assertTrue({"balance", "account_id", "partner_id", "currency_id"} <= command[2].keys())
                self.assertFalse(any("account_id" in command[2] for command in odoos["invoice_line_ids"]))
                Move = self.env["account.move"].with_context(default_move_type="out_invoice")
                written.clear()
                with patch.object(AccountMoveLine, "write", write):
                    invoice = Move.create(ours)
                if rounding == "round_per_line":  # rounded globally, Odoo compares its unrounded floats and writes
                    self.assertFalse(written, "Odoo had to write the lines again")
                reference = Move.create(odoos)
                self.assertRecordValues(
                    invoice.line_ids.sorted(lambda line: (line.display_type, line.sequence, line.balance)),
                    [
                        {
                            "display_type": line.display_type,
                            "name": line.name,
                            "balance": line.balance,
                            "amount_currency": line.amount_currency,
                            "price_subtotal": line.price_subtotal,
                            "price_total": line.price_total,
                            "tax_tag_ids": line.tax_tag_ids.ids,
                            "tax_ids": line.tax_ids.ids,
                            "account_id": line.account_id.id,
                            "partner_id": line.partner_id.id,
                            "currency_id": line.currency_id.id,
                            "journal_id": line.journal_id.id,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "product_uom_id": line.product_uom_id.id,
                            "is_storno": line.is_storno,
                        }
                        for line in reference.line_ids.sorted(
                            lambda line: (line.display_type, line.sequence, line.balance)
                        )
                    ],
                )
                self.assertRecordValues(
                    invoice,
                    [
                        {
                            "amount_untaxed": reference.amount_untaxed,
                            "amount_tax": reference.amount_tax,
                            "amount_total": reference.amount_total,
                        }
                    ],
                )
                self.assertEqual(bool(invoice.amount_tax), client.name == "Taxed")
                if client.name == "Taxed":
                    self.assertEqual(
                        invoice.invoice_line_ids.filtered("product_id").account_id.code,
                        "EXPINC",
                        "the fiscal position's income account",
                    )
                (invoice + reference).unlink()

    def test_invoice_analytics_are_odoos(self):
        """Without distribution models the run gives lines their order line's distribution itself;
        with models, Odoo still applies them."""
        plan = self.env["account.analytic.plan"].create({"name": "Departments"})
        design, marketing = self.env["account.analytic.account"].create(
            [{"name": name, "plan_id": plan.id} for name in ("Design", "Marketing")]
        )
        client = self.env["res.partner"].create(
            {"name": "No project", "is_company": True, "agency_billing_policy": "time_materials"}
        )
        order = self._order(client, False, [(self.hours, 4, 4), (self.fixed, 1, 0)])
        order.order_line[0].analytic_distribution = {str(design.id): 100}
        run = self._run(partners=client, date="2026-11-05")
        lines = run.invoice_ids.invoice_line_ids.filtered("product_id").sorted("price_unit")
        self.assertEqual(lines.mapped("analytic_distribution"), [{str(design.id): 100}, False])

        self.env["account.analytic.distribution.model"].create(
            {"product_id": self.fixed.id, "analytic_distribution": {str(marketing.id): 100}}
        )
        self._order(client, False, [(self.fixed, 1, 0)])
        run = self._run(partners=client, date="2026-12-05")
        line = run.invoice_ids.invoice_line_ids.filtered("product_id")
        self.assertEqual(line.analytic_distribution, {str(marketing.id): 100})
