from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    agency_is_change_order = fields.Boolean(
        string="Change Order",
        copy=False,
        help="An approved change order: its work is billed as out-of-scope, apart from the original scope.",
    )
