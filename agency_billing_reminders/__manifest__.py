{
    "name": "Agency Billing Reminders",
    "version": "19.0.1.0.0",
    "summary": "Payment reminders by client profile: a friendly note before the due date, "
    "escalating steps after it, late fees and automatic receipts",
    "category": "Accounting/Accounting",
    "author": "Agency Billing for Odoo",
    "website": "https://github.com/agency-billing/agency-billing-odoo",
    "license": "LGPL-3",
    "depends": ["agency_billing", "mail", "account_payment"],
    "data": [
        "security/ir.model.access.csv",
        "security/agency_reminder_rules.xml",
        "data/ir_cron.xml",
        "data/mail_template_data.xml",
        "data/agency_reminder_cadence_data.xml",
        "views/res_partner_views.xml",
        "views/agency_reminder_cadence_views.xml",
        "views/agency_reminder_hold_views.xml",
        "views/agency_reminder_log_views.xml",
        "views/agency_reminder_menus.xml",
    ],
}
