"""The three addons installed together: menus, groups, views and the dependencies between them."""

import os
import subprocess
import sys
import tempfile

import odoo.release
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


@tagged("post_install", "-at_install")
class TestOdooSourceFolder(TransactionCase):
    """`bin/agency` finds Odoo's source folder (its requirements.txt, pinned when packages are
    installed) even with an OCA addon installed from PyPI, whose `site-packages/odoo/addons/...`
    makes `site-packages/odoo` the first entry of the `odoo` namespace package."""

    def test_odoo_source_found_with_an_oca_addon_first_on_the_path(self):
        root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__)))
        self.assertTrue(os.path.isfile(os.path.join(root, "requirements.txt")), "Odoo runs from a source checkout")
        agency = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", "agency")
        with tempfile.TemporaryDirectory() as site_packages:
            # what `pip install odoo-addon-...` leaves: site-packages/odoo/addons/<addon>, no odoo/__init__.py
            addon = os.path.join(site_packages, "odoo", "addons", "account_statement_base")
            os.makedirs(addon)
            with open(os.path.join(addon, "__init__.py"), "w", encoding="utf-8"):
                pass
            env = {**os.environ, "PYTHONPATH": site_packages, "PYTHON": sys.executable}
            first = subprocess.run(
                [sys.executable, "-c", "import odoo; print(list(odoo.__path__)[0])"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            self.assertEqual(first, os.path.join(site_packages, "odoo"), "the addon's folder comes first")
            found = subprocess.run(
                [agency, "odoo-src"], env=env, capture_output=True, text=True, check=True
            ).stdout.strip()
        self.assertEqual(found, root)
