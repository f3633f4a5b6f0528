"""Who may see and change a client's billing profile and money."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestSecurity(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="acme.portal", groups="base.group_portal")
        cls.portal_user.partner_id.parent_id = cls.client_company
        cls.plain_user = new_test_user(cls.env, login="plain.employee", groups="base.group_user")
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_client_code": "GLOBEX", "agency_billing_policy": "retainer"}
        )
        cls.other_invoice = cls.init_invoice("out_invoice", partner=cls.other_client, amounts=[999.0], post=True)

    def test_agency_user_edits_billing_profiles(self):
        client = self.client_company.with_user(self.agency_user)
        client.write({"agency_billing_day": 20, "agency_on_hold": True})
        self.assertEqual(self.client_company.agency_billing_day, 20)

    def test_portal_user_cannot_change_a_billing_profile(self):
        with self.assertRaises(AccessError):
            self.client_company.with_user(self.portal_user).write({"agency_on_hold": True})
        with self.assertRaises(AccessError):
            self.other_client.with_user(self.portal_user).read(["agency_billing_policy"])

    def test_portal_user_never_sees_another_clients_invoices_or_figures(self):
        Move = self.env["account.move"].with_user(self.portal_user)
        self.assertFalse(Move.search([("partner_id", "=", self.other_client.id)]))
        with self.assertRaises(AccessError):
            self.other_invoice.with_user(self.portal_user).read(["amount_total"])
        partner = self.portal_user.partner_id.commercial_partner_id.with_user(self.portal_user)
        summary = partner._agency_account_summary()
        self.assertNotIn(self.other_client.id, summary)
        self.assertFalse(summary[partner.id]["balance"])

    def test_menu_hidden_from_employees_without_billing_rights(self):
        root = self.env.ref("agency_billing.menu_agency_billing_root")
        visible = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        self.assertNotIn(root.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.agency_user)._visible_menu_ids()
        self.assertIn(root.id, visible)
