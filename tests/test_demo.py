"""The agency demo of `bin/agency run`, loaded inside a test so that a change elsewhere cannot break it unseen."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from odoo.addons.agency_billing.models.res_partner import BILLING_POLICIES


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("agency_billing.client_acme", raise_if_not_found=False):
            convert_file(cls.env, "agency_billing", "demo/agency_billing_demo.xml", {}, mode="init")
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
        for client in self.clients.filtered(lambda c: c.agency_client_code not in ("HOOLI", "SOY")):
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
