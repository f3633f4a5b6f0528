"""The agency demo of `bin/agency run`, loaded inside a test so that a change elsewhere cannot break it unseen."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from odoo.addons.agency_billing.models.res_partner import BILLING_POLICIES
from odoo.addons.base.models.ir_module import IrModuleModule


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's own translations of every installed module in four languages take a minute to load:
        # the test checks the languages are installed, not Odoo's .po files
        cls.translations_loaded = []
        with patch.object(
            IrModuleModule,
            "_update_translations",
            lambda modules, filter_lang=None, overwrite=False: cls.translations_loaded.append(filter_lang),
        ):
            for module, demo, loaded in (
                ("agency_billing", "agency_billing_demo", lambda: cls.env.ref("agency_billing.client_acme", False)),
                (
                    "agency_billing",
                    "agency_recommendation_demo",
                    lambda: cls.env.ref("agency_billing.product_seo", False),
                ),
                (
                    "agency_billing",
                    "agency_bank_demo",
                    lambda: cls.env["account.bank.statement.line"].search_count([("agency_match_state", "!=", False)]),
                ),
                (
                    "agency_billing_reminders",
                    "agency_billing_reminders_demo",
                    lambda: cls.env["agency.late.fee"].search_count(
                        [("move_id", "=", cls.env.ref("agency_billing.inv_dupont_overdue").id)]
                    ),
                ),
                (
                    "agency_billing_portal",
                    "agency_billing_portal_demo",
                    lambda: cls.env.ref("agency_billing_portal.user_portal_hooli", False),
                ),
            ):
                if not loaded():
                    convert_file(cls.env, module, f"demo/{demo}.xml", {}, mode="init")
        cls.clients = cls.env["res.partner"].search([("agency_client_code", "!=", False), ("parent_id", "=", False)])

    def ref_(self, xmlid):
        return self.env.ref(f"agency_billing.{xmlid}")

    def test_clients_of_each_profile_and_policy(self):
        self.assertEqual(set(self.clients.mapped("agency_client_profile")), {"public", "business", "private"})
        self.assertEqual(set(self.clients.mapped("agency_billing_policy")), {key for key, _label in BILLING_POLICIES})
        public = self.ref_("client_springfield")
        self.assertEqual(public.agency_client_profile, "public")
        self.assertTrue(public.agency_po_required)
        # contacts, brands and departments share their company's profile
        self.assertEqual(self.ref_("contact_acme_rockets").agency_client_code, "ACME")
        self.assertTrue(self.ref_("client_acme").agency_payment_terms_text)

    def test_projects_and_confirmed_orders(self):
        # Hooli (free pilot), Soylent (on hold) and the clients of each language (invoices only) have no orders
        no_orders = ("HOOLI", "SOY", "DUPONT", "FJORD", "HANBIT", "JADE")
        for client in self.clients.filtered(lambda c: c.agency_client_code not in no_orders):
            orders = self.env["sale.order"].search([("partner_id", "child_of", client.id)])
            self.assertGreaterEqual(len(orders), 2, client.name)
            self.assertEqual(set(orders.mapped("state")), {"sale"}, client.name)
            self.assertGreaterEqual(len(orders.project_id), 2, client.name)
        self.assertTrue(self.ref_("sol_acme_retainer").agency_is_retainer)
        change = self.ref_("sol_spring_change_dev")
        self.assertTrue(change.order_id.agency_is_change_order)
        self.assertTrue(change.agency_out_of_scope)
        # two milestones of four reached, one of them invoiced
        milestone = self.ref_("sol_spring_portal_m")
        self.assertEqual(milestone.qty_delivered_method, "milestones")
        self.assertEqual((milestone.qty_delivered, milestone.qty_invoiced, milestone.qty_to_invoice), (2, 1, 1))
        self.assertEqual(self.ref_("sol_acme_web_dev").qty_to_invoice, 64 - 16)

    def test_invoices_draft_posted_paid_partial_overdue(self):
        invoices = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("partner_id", "child_of", self.clients.ids)]
        )
        self.assertIn("draft", invoices.mapped("state"))
        self.assertTrue({"paid", "partial", "not_paid"} <= set(invoices.mapped("payment_state")))
        overdue = invoices.filtered_domain(self.env["account.move"]._agency_overdue_domain())
        self.assertIn(self.ref_("inv_acme_overdue"), overdue)
        self.assertIn(self.ref_("inv_spring_overdue"), overdue)
        self.assertNotIn(self.ref_("inv_acme_open"), overdue)
        self.assertGreater(self.ref_("client_springfield").agency_overdue_days, 30)

    def test_invoices_numbered_per_client(self):
        """A newcomer sees the client-coded numbers: ACME-2026-11-0001, not INV/2026/00019."""
        journal = self.env.company.agency_billing_journal_id
        self.assertTrue(journal.agency_numbering)
        for xmlid, code in (("inv_acme_paid", "ACME"), ("inv_spring_overdue", "SPRING"), ("inv_maria_paid", "MLOPEZ")):
            invoice = self.ref_(xmlid)
            self.assertEqual(invoice.journal_id, journal)
            date = invoice.date
            self.assertRegex(invoice.name, rf"^{code}-{date.year:04d}-{date.month:02d}-\d{{4}}$")

    def test_logins_printed_by_bin_agency_run(self):
        agency = self.ref_("user_agency")
        self.assertEqual(agency.login, "agency")
        self.assertTrue(agency.has_group("agency_billing.group_agency_billing_user"))
        agency.with_user(agency)._check_credentials({"type": "password", "password": "agency"}, {"interactive": True})
        portal = self.ref_("user_portal_acme")
        self.assertEqual(portal.login, "portal.acme")
        self.assertTrue(portal._is_portal())
        self.assertEqual(portal.commercial_partner_id, self.ref_("client_acme"))
        portal.with_user(portal)._check_credentials({"type": "password", "password": "portal"}, {"interactive": True})
        summary = portal.commercial_partner_id.with_user(portal)._agency_account_summary()
        self.assertGreater(summary[portal.commercial_partner_id.id]["overdue"], 0)

    def test_the_agency_and_its_portal_customer(self):
        """A newcomer sees an agency, not an empty Odoo: a named studio, a salesperson, a customer with a history."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Northwind Creative Studio")
        self.assertTrue(company.logo)
        self.assertTrue(company.primary_color and company.secondary_color)
        self.assertTrue(company.street and company.city and company.country_id)
        sofia = self.ref_("user_sales_sofia")
        acme = self.ref_("client_acme")
        self.assertEqual(acme.user_id, sofia)
        invoices = self.env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("commercial_partner_id", "=", acme.id), ("state", "=", "posted")]
        )
        self.assertEqual(set(invoices.invoice_user_id.mapped("name")), {"Sofia Martins"})
        self.assertTrue({"paid", "partial", "not_paid", "blocked"} <= set(invoices.mapped("payment_state")))
        self.assertIn(self.ref_("inv_acme_overdue"), invoices.filtered_domain(invoices._agency_overdue_domain()))
        self.assertEqual(self.ref_("inv_acme_disputed").payment_state, "blocked")
        # a statement of several months: invoices and payments in at least four different months
        months = {
            line["date"].strftime("%Y-%m")
            for block in acme._agency_statement_data(min(invoices.mapped("invoice_date")), None)["currencies"]
            for line in block["lines"]
        }
        self.assertGreaterEqual(len(months), 4, months)

    def test_a_client_in_each_shipped_language_with_documents(self):
        langs = {"en_US", "fr_FR", "nb_NO", "ko_KR", "zh_CN"}
        active = set(self.env["res.lang"].search([("active", "=", True)]).mapped("code"))
        self.assertLessEqual(langs, active)
        if self.translations_loaded:  # loaded here, not at install: Odoo's translations asked for
            self.assertEqual(set(self.translations_loaded[0]), langs - {"en_US"})
        report = self.env.ref("agency_billing.action_report_agency_invoice")
        for lang in langs:
            with self.subTest(lang=lang):
                clients = self.clients.filtered(lambda c, lang=lang: (c.lang or "en_US") == lang)
                self.assertTrue(clients, f"no client in {lang}")
                invoices = self.env["account.move"].search(
                    [("commercial_partner_id", "in", clients.ids), ("state", "=", "posted")]
                )
                self.assertTrue(invoices, f"no posted invoice of a client in {lang}")
                html = report._render_qweb_html(report.report_name, invoices[:1].ids)[0].decode()
                self.assertIn("Northwind Creative Studio", html)

    def test_late_fee_to_look_at(self):
        """The EU preset charges an EU business: Atelier Dupont (France) has its late fee invoice."""
        dupont = self.ref_("client_dupont")
        self.assertIn(dupont.country_id, self.env.ref("base.europe").country_ids)
        overdue = self.ref_("inv_dupont_overdue")
        self.assertIn(overdue, overdue.filtered_domain(overdue._agency_overdue_domain()))
        fees = self.env["agency.late.fee"].search([("move_id", "=", overdue.id)])
        self.assertTrue(fees)
        self.assertEqual(fees.policy_id, self.env.ref("agency_billing_reminders.late_fee_policy_eu_business"))
        self.assertEqual(fees.fee_move_id.state, "posted")
        self.assertTrue(all(client.country_id for client in self.clients if client.agency_client_code == "ACME"))

    def test_the_website_project_finds_its_invoice_written_by_hand(self):
        """The portal's project filter: an invoice with a "Website" section and no order is found under the
        website project through the analytic account its lines are booked on."""
        invoice = self.ref_("inv_acme_partial")
        self.assertIn(self.ref_("project_acme_web"), invoice.invoice_line_ids._agency_projects())

    def test_staff_opens_on_agency_billing_and_has_reminders_to_send(self):
        agency = self.ref_("user_agency")
        self.assertEqual(agency.action_id.id, self.env.ref("agency_billing.action_agency_clients").id)
        cron = self.env.ref("agency_billing_reminders.ir_cron_agency_send_reminders")
        self.assertGreater(cron.nextcall.date(), fields.Date.context_today(cron), "not run on the demo day")
        plan = self.env["res.partner"]._agency_reminder_plan(fields.Date.context_today(cron))
        self.assertTrue(any(client["send"] for client in plan.values()), "Send Reminders has something to send")

    def test_the_bank_file_of_the_day_is_imported_and_matched(self):
        """The README's screenshot: a bank file imported, matched by reference, number and payer, a
        suggestion and a line left for a person."""
        lines = self.env["account.bank.statement.line"].search([("agency_match_state", "!=", False)])
        self.assertEqual(len(lines.statement_id), 1)
        self.assertEqual(
            sorted(lines.filtered("is_reconciled").mapped("agency_match_kind")),
            ["number", "payer", "reference", "reference"],
        )
        self.assertEqual(
            sorted(lines.filtered(lambda line: not line.is_reconciled).mapped("agency_match_state")),
            ["none", "suggested"],
        )
        self.assertEqual(self.ref_("inv_hanbit_open").payment_state, "partial")

    def test_second_portal_customer_sees_suggestions(self):
        """Acme is late (no new suggestions for late payers): Hooli, up to date, sees its suggestions."""
        hooli_user = self.env.ref("agency_billing_portal.user_portal_hooli")
        self.assertTrue(hooli_user._is_portal())
        hooli = hooli_user.commercial_partner_id
        self.assertEqual(hooli, self.ref_("client_hooli"))
        summary = hooli.with_user(hooli_user)._agency_account_summary()
        self.assertFalse(summary[hooli.id]["overdue"])
        self.assertTrue(hooli.sudo()._agency_recommendations(limit=3), "what the portal shows")
