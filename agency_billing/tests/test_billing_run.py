from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.agency_billing.models.agency_billing_run import AgencyBillingRun
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import AgencyBillingCommon


class BillingRunCommon(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += (
            cls.env.ref("project.group_project_manager")
            + cls.env.ref("sales_team.group_sale_manager")
            + cls.env.ref("agency_billing.group_agency_billing_user")
        )
        Product = cls.env["product.product"]
        common = {"type": "service", "taxes_id": [(5, 0, 0)]}
        cls.hours = Product.create({**common, "name": "Design hour", "invoice_policy": "delivery", "list_price": 100})
        cls.fixed = Product.create({**common, "name": "Campaign", "invoice_policy": "order", "list_price": 1000})
        cls.retainer = Product.create(
            {**common, "name": "Retainer", "invoice_policy": "order", "list_price": 3000, "agency_is_retainer": True}
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Projects"})
        cls.project_brand, cls.project_web, cls.project_social = cls.env["project.project"].create(
            [
                {
                    "name": name,
                    "partner_id": cls.client_company.id,
                    "allow_billable": True,
                    "account_id": cls.env["account.analytic.account"].create({"name": name, "plan_id": plan.id}).id,
                }
                for name in ("Brand refresh", "Website", "Social media")
            ]
        )

    @classmethod
    def _order(cls, partner, project, lines, po="", confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "project_id": project.id if project else False,
                "client_order_ref": po,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty, "tax_ids": [(5, 0, 0)]})
                    for product, qty, _delivered in lines
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
            for line, (_product, _qty, delivered) in zip(order.order_line, lines, strict=True):
                if delivered:
                    line.qty_delivered = delivered
        return order

    def _two_clients_to_bill(self, other_hours=10):
        """Acme (10 hours) and Globex (``other_hours`` hours), both billed on time and materials."""
        self.client_company.agency_billing_policy = "time_materials"
        other = self.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_billing_policy": "time_materials"}
        )
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._order(other, False, [(self.hours, other_hours, other_hours)])
        return other

    def _run(self, date="2026-11-05", partners=None, bill=True):
        run = self.env["agency.billing.run"].create(
            {"date": date, "partner_ids": [(6, 0, (partners or self.client_company).ids)]}
        )
        run.action_preview()
        if bill:
            run.action_bill()
        return run

    def _line(self, run, partner=None, **filters):
        lines = run.line_ids.filtered(lambda line: line.partner_id == (partner or self.client_company))
        for name, value in filters.items():
            lines = lines.filtered(lambda line, name=name, value=value: line[name] == value)
        return lines


@tagged("post_install", "-at_install")
class TestBillingRun(BillingRunCommon):
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
        self.assertEqual(sections.mapped("name"), ["Brand refresh (PO PO-1)", "Website"])
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

    def test_preview_reasons(self):
        globex, initech, hooli, umbrella, soylent = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "agency_billing_policy": "time_materials", **values}
                for name, values in (
                    ("Globex", {"agency_po_required": True}),
                    ("Initech", {}),
                    ("Hooli", {"agency_pilot_end_date": "2026-11-30"}),
                    ("Umbrella", {"agency_on_hold": True}),
                    ("Soylent", {"credit_limit": 500}),
                )
            ]
        )
        self.env.company.account_use_credit_limit = True
        for partner in (globex, hooli, umbrella, soylent):
            self._order(partner, False, [(self.hours, 10, 10)])
        run = self._run(partners=globex | initech | hooli | umbrella | soylent, bill=False)
        expected = {
            globex: "po_missing",
            initech: "nothing_to_bill",
            hooli: "pilot",
            umbrella: "on_hold",
            soylent: "credit_limit",
        }
        for partner, reason in expected.items():
            line = self._line(run, partner)
            self.assertEqual((line.state, line.reason), ("skipped", reason), partner.name)
            self.assertTrue(line.message)
        run.action_bill()
        self.assertFalse(run.invoice_ids)

    def test_preview_total_and_change_versus_last_period(self):
        self.client_company.agency_billing_policy = "time_materials"
        order = self._order(self.client_company, self.project_web, [(self.hours, 100, 10)])
        self._run(date="2026-10-05")
        order.order_line.qty_delivered = 25
        preview = self._run(bill=False)
        line = self._line(preview)
        self.assertEqual((line.state, line.amount, line.previous_amount), ("to_bill", 1500, 1000))
        self.assertEqual(line.change_percent, 50)
        self.assertFalse(preview.invoice_ids, "a preview creates no invoice")

    def test_one_po_per_invoice(self):
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_po_per_invoice": True})
        self._order(self.client_company, self.project_brand, [(self.hours, 10, 10)], po="PO-A")
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)], po="PO-B")
        self._order(self.client_company, self.project_social, [(self.hours, 10, 10)], po="PO-A")
        invoices = self._run().invoice_ids
        self.assertEqual(sorted(invoices.mapped("ref")), ["PO-A", "PO-B"])

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
        original = AgencyBillingRun._after_invoices_created

        def after_invoices_created(run, moves):
            contexts.append(moves.env.context)
            return original(run, moves)

        with patch.object(AgencyBillingRun, "_after_invoices_created", after_invoices_created):
            run.action_bill()
        invoice = run.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(contexts)
        self.assertFalse([context for context in contexts if context.get("mail_notrack")])
        [note] = invoice.message_ids.filtered(lambda message: "billing run" in message.body)
        self.assertIn(f'data-oe-model="agency.billing.run" data-oe-id="{run.id}"', note.body, "the note links the run")
        self.assertTrue(note.is_internal, "the client does not see it")

    def test_one_broken_client_fails_alone(self):
        other = self._two_clients_to_bill()
        original = AgencyBillingRun._prepare_invoice_vals

        def broken(run, plan):
            if plan["partner"] == other:
                raise ValueError("broken client data")
            return original(run, plan)

        with patch.object(AgencyBillingRun, "_prepare_invoice_vals", broken):
            run = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(run).state, "billed")
        failed = self._line(run, other)
        self.assertEqual((failed.state, failed.reason), ("failed", "error"))
        self.assertIn("broken client data", failed.message)
        # fixed later: billed then, and only then
        retry = self._run(partners=other)
        self.assertEqual(self._line(retry, other).state, "billed")

    def test_failure_at_creation_falls_back_to_one_by_one(self):
        other = self._two_clients_to_bill()
        original = AgencyBillingRun._prepare_invoice_vals

        def bad_vals(run, plan):
            vals = original(run, plan)
            if plan["partner"] == other:
                vals["journal_id"] = -1  # makes the INSERT fail
            return vals

        with patch.object(AgencyBillingRun, "_prepare_invoice_vals", bad_vals):
            run = self._run(partners=self.client_company | other)
        self.assertEqual(self._line(run).state, "billed")
        self.assertEqual(self._line(run, other).state, "failed")
        self.assertEqual(len(run.invoice_ids), 1)

    def test_concurrent_run_skips_a_client_being_billed(self):
        """Another worker holds the client's row: this run leaves it to that worker."""
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        run = self._run(bill=False)
        with patch.object(type(self.client_company), "try_lock_for_update", lambda records, **kw: records.browse()):
            run.action_bill()
        line = self._line(run)
        self.assertEqual((line.state, line.reason), ("skipped", "locked"))
        self.assertFalse(run.invoice_ids)

    def test_the_billing_key_is_unique_in_the_database(self):
        """Even two workers that could not see each other's invoice cannot bill a period twice."""
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        invoice = self._run().invoice_ids
        duplicate = invoice.copy()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            duplicate.agency_billing_key = invoice.agency_billing_key
            duplicate.flush_recordset()

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

    def test_scheduled_billing_on_the_billing_day(self):
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_billing_day": 10})
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        cron = self.env.ref("agency_billing.ir_cron_agency_billing_run")
        self.assertEqual(cron.code.strip(), "model._cron_bill_due_clients()")
        Run = self.env["agency.billing.run"].with_user(cron.user_id)  # the cron's user, as the scheduler runs it
        progress = []

        def commit_progress(cron_model, processed=0, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0  # seconds left; no commit inside the test transaction

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            Run._cron_bill_due_clients(date_ref="2026-11-09")
            self.assertFalse(Run.search([("trigger", "=", "cron")]).invoice_ids, "not before the billing day")
            Run._cron_bill_due_clients(date_ref="2026-11-10")
            Run._cron_bill_due_clients(date_ref="2026-11-11")  # the next day bills nothing more
        runs = Run.search([("trigger", "=", "cron"), ("company_id", "=", self.env.company.id)])
        self.assertEqual(len(runs), 1, "one scheduled run per period and company")
        self.assertEqual(len(runs.invoice_ids), 1)
        self.assertEqual(runs.invoice_ids.commercial_partner_id, self.client_company)
        self.assertIn((1, 0), progress, "progress committed client by client batch")


@tagged("post_install", "-at_install")
class TestFreePilot(BillingRunCommon):
    def test_nothing_billed_during_the_pilot_and_the_client_is_told_once(self):
        self.client_company.write(
            {
                "agency_billing_policy": "time_materials",
                "agency_pilot_end_date": "2026-11-30",
                "agency_pilot_notice_days": 7,
            }
        )
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self.assertEqual(self._line(self._run(date="2026-11-20")).reason, "pilot")
        Partner = self.env["res.partner"]
        Mail = self.env["mail.mail"]
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            Partner._cron_agency_pilot_notice(date_ref="2026-11-22")
            self.assertFalse(Mail.search([("subject", "ilike", "free pilot")]), "8 days before: not yet")
            Partner._cron_agency_pilot_notice(date_ref="2026-11-23")
            Partner._cron_agency_pilot_notice(date_ref="2026-11-24")
        mails = Mail.search([("subject", "ilike", "free pilot")])
        self.assertEqual(len(mails), 1, "told once")
        self.assertIn(self.client_company, mails.recipient_ids)
        # after the pilot, the work is billed
        self.assertEqual(self._run(date="2026-12-05").invoice_ids.amount_untaxed, 1000)
