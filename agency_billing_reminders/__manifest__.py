{
    "name": "Agency Billing Reminders",
    "version": "19.0.1.0.0",
    "summary": "Payment reminders by client profile: a friendly note before the due date, "
    "escalating steps after it, late fees and automatic receipts",
    "category": "Accounting/Accounting",
    "author": "Agency Billing for Odoo",
    "website": "https://github.com/agency-billing/agency-billing-odoo",
    "license": "LGPL-3",
    "depends": ["agency_billing", "mail"],
    "data": [
        "views/res_partner_views.xml",
    ],
}
