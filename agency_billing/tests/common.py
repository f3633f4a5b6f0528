from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class AgencyBillingCommon(AccountTestInvoicingCommon):
    """Base class for the agency billing tests of the three addons.

    Gives a client company with two contacts (a brand and a department), an
    agency billing user, and helpers to make billing profiles.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.client_company = cls.env["res.partner"].create(
            {
                "name": "Acme Corp",
                "is_company": True,
                "email": "billing@acme.example.com",
                "agency_billing_policy": "retainer",
                "agency_billing_day": 5,
                "agency_client_code": "ACME",
                "agency_client_profile": "business",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.client_brand = cls.env["res.partner"].create(
            {"name": "Acme Rockets", "type": "invoice", "parent_id": cls.client_company.id}
        )
        cls.client_department = cls.env["res.partner"].create(
            {"name": "Wile E. Coyote", "parent_id": cls.client_company.id, "email": "wile@acme.example.com"}
        )
        cls.agency_user = cls.env["res.users"].create(
            {
                "name": "Ada Agency",
                "login": "ada.agency",
                "email": "ada@agency.example.com",
                "group_ids": [(6, 0, [cls.env.ref("agency_billing.group_agency_billing_user").id])],
                "company_id": cls.env.company.id,
                "company_ids": [(6, 0, cls.env.company.ids)],
            }
        )
