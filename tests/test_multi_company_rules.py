"""Every model our addons add that belongs to a company is kept to the user's allowed companies."""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon

OUR_MODULES = ("agency_billing", "agency_billing_reminders", "agency_billing_portal")


@tagged("post_install", "-at_install")
class TestMultiCompanyRules(AgencyBillingCommon):
    def test_each_company_model_has_a_company_rule(self):
        xmlids = self.env["ir.model.data"].search([("model", "=", "ir.model"), ("module", "in", OUR_MODULES)])
        checked = []
        for model in self.env["ir.model"].browse(xmlids.mapped("res_id")):
            Model = self.env.get(model.model)
            if Model is None or Model._abstract or Model._transient or Model._original_module not in OUR_MODULES:
                continue
            field = Model._fields.get("company_id")
            if not field or field.comodel_name != "res.company":
                continue
            checked.append(model.model)
            rules = self.env["ir.rule"].search([("model_id", "=", model.id), ("global", "=", True)])
            self.assertTrue(
                any("company_ids" in (rule.domain_force or "") for rule in rules),
                f"{model.model} has a company but no global rule on the user's allowed companies",
            )
        self.assertIn("agency.late.client", checked)
        self.assertIn("agency.billing.run", checked)

    @freeze_time("2026-11-23")
    def test_late_clients_of_another_company_are_hidden(self):
        company_2 = self.setup_other_company(name="Other Agency")["company"]
        for company in self.env.company | company_2:
            invoice = self._create_invoice(
                partner_id=self.client_company.id,
                invoice_date="2026-09-01",
                invoice_date_due="2026-10-01",
                invoice_payment_term_id=False,
                company_id=company.id,
                invoice_line_ids=[self._prepare_invoice_line(price_unit=500.0, tax_ids=[])],
                post=True,
            )
            self.assertEqual(invoice.company_id, company)
        self.env.flush_all()
        LateClient = self.env["agency.late.client"]
        self.assertEqual(
            LateClient.sudo().search([("partner_id", "=", self.client_company.id)]).company_id,
            self.env.company | company_2,
        )
        user = new_test_user(
            self.env,
            login="staff.company1",
            groups="agency_billing.group_agency_billing_user",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        visible = LateClient.with_user(user).search([("partner_id", "=", self.client_company.id)])
        self.assertEqual(visible.company_id, self.env.company, "the other company's late clients are hidden")
