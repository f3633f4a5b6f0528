{
    "name": "Agency Billing",
    "version": "19.0.1.0.0",
    "summary": "One clear invoice per client and period: billing policies, consolidated "
    "billing run, branded invoices and statements for agencies",
    "category": "Accounting/Accounting",
    "author": "Agency Billing for Odoo",
    "website": "https://github.com/agency-billing/agency-billing-odoo",
    "license": "LGPL-3",
    "depends": ["account", "sale_management", "sale_project"],
    "external_dependencies": {"python": ["num2words"]},
    "data": [
        "security/agency_billing_security.xml",
        "security/ir.model.access.csv",
        "security/agency_billing_rules.xml",
        "data/ir_cron.xml",
        "data/mail_template_data.xml",
        "views/res_partner_views.xml",
        "views/agency_billing_run_views.xml",
        "views/res_config_settings_views.xml",
        "views/agency_billing_menus.xml",
    ],
    "demo": [
        "demo/agency_billing_demo.xml",
    ],
    "application": True,
}
