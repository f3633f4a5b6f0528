"""The three addons installed together: menus, groups, views and the dependencies between them."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_modules_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("agency_billing", "agency_billing_reminders", "agency_billing_portal"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)

    def test_menus_and_actions(self):
        root = self.env.ref("agency_billing.menu_agency_billing_root")
        children = root.child_id.mapped("name")
        for name in ("Clients", "Invoices", "Late Clients", "Configuration"):
            self.assertIn(name, children)
        self.assertIn(self.env.ref("agency_billing.group_agency_billing_user"), root.group_ids)

    def test_partner_form_has_the_billing_tab(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="agency_billing"', arch)
        self.assertIn('name="agency_billing_policy"', arch)
        self.assertIn('name="agency_overdue_amount"', arch)

    def test_portal_home_shows_the_account_card(self):
        view = self.env.ref("agency_billing_portal.portal_my_home_agency_account")
        self.assertEqual(view.inherit_id, self.env.ref("portal.portal_my_home"))
        self.assertTrue(view.active)
