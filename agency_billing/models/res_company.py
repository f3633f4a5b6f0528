from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_billing_auto_post = fields.Boolean(
        string="Post Billing Run Invoices",
        help="Invoices made by the billing run are posted at once instead of left in draft for review.",
    )
    agency_billing_journal_id = fields.Many2one(
        "account.journal",
        string="Billing Run Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the billing run's invoices; choose one with client-coded numbers to number "
        "them per client (ACME-2026-11-0042). Empty: the default sales journal.",
    )
