{
    "name": "Agency Billing Portal",
    "version": "19.0.1.2.2",
    "summary": "The client's one place to see every invoice and its balance, understand it and pay",
    "category": "Accounting/Accounting",
    "author": "Agency Billing for Odoo",
    "website": "https://github.com/agency-billing/agency-billing-odoo",
    "license": "LGPL-3",
    "depends": ["agency_billing", "agency_billing_reminders", "portal", "account_payment"],
    "data": [
        "security/agency_billing_portal_security.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/portal_account_templates.xml",
        "views/portal_invoice_templates.xml",
        "views/portal_plan_templates.xml",
    ],
    "demo": [
        "demo/agency_billing_portal_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "agency_billing_portal/static/tests/tours/*.js",
        ],
    },
}
