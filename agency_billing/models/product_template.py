from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    agency_is_retainer = fields.Boolean(
        string="Monthly Retainer",
        help="A retainer fee: the billing run invoices one unit of it per period, up to the ordered quantity.",
    )
