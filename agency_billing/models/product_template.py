from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    agency_is_retainer = fields.Boolean(
        string="Monthly Retainer",
        help="A retainer fee: the billing run invoices one unit of it per period, up to the ordered quantity.",
    )

    agency_renewal_months = fields.Integer(
        string="Renews Every (months)",
        help="For services bought again periodically (hosting: 12, a yearly audit: 12): the client is shown "
        "a 'renewal due' this many months after its last purchase. Empty: guessed from the client's history.",
    )
