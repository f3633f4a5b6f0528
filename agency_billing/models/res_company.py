from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_billing_auto_post = fields.Boolean(
        string="Post Billing Run Invoices",
        help="Invoices made by the billing run are posted at once instead of left in draft for review.",
    )
