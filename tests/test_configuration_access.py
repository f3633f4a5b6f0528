"""Billing staff read the configuration the README sends them to; billing managers change it."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon

CONFIG_MENUS = (
    "agency_billing.menu_agency_billing_payment_terms",
    "agency_billing_reminders.menu_agency_reminder_cadences",
    "agency_billing_reminders.menu_agency_late_fee_policies",
    "agency_billing_reminders.menu_agency_reference_rates",
)
CONFIG_MODELS = (
    "account.payment.term",
    "agency.reminder.cadence",
    "agency.reminder.step",
    "agency.late.fee.policy",
    "agency.reference.rate",
)


@tagged("post_install", "-at_install")
class TestConfigurationAccess(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(cls.env, login="billing.staff", groups="agency_billing.group_agency_billing_user")
        cls.manager = new_test_user(
            cls.env, login="billing.manager", groups="agency_billing.group_agency_billing_manager"
        )

    def test_staff_see_the_configuration_menu_and_read_it(self):
        visible = self.env["ir.ui.menu"].with_user(self.staff)._visible_menu_ids()
        self.assertIn(self.env.ref("agency_billing.menu_agency_billing_config").id, visible)
        for xmlid in CONFIG_MENUS:
            self.assertIn(self.env.ref(xmlid).id, visible, xmlid)
        for model in CONFIG_MODELS:
            Model = self.env[model].with_user(self.staff)
            self.assertTrue(Model.has_access("read"), model)
            self.assertFalse(Model.has_access("write"), model)
            self.assertFalse(Model.has_access("create"), model)
        cadence = self.env.ref("agency_billing_reminders.cadence_business").with_user(self.staff)
        self.assertTrue(cadence.step_ids.mapped("name"))
        with self.assertRaises(AccessError):
            cadence.min_gap_days = 1

    def test_managers_change_the_configuration(self):
        for model in CONFIG_MODELS:
            Model = self.env[model].with_user(self.manager)
            self.assertTrue(Model.has_access("write") and Model.has_access("create"), model)
        cadence = self.env.ref("agency_billing_reminders.cadence_business").with_user(self.manager)
        cadence.min_gap_days = 7
        self.assertEqual(cadence.min_gap_days, 7)
        term = self.env.ref("account.account_payment_term_30days").with_user(self.manager)
        term.name = "Thirty days net"
        self.assertEqual(term.name, "Thirty days net")
