from odoo import api, fields, models
from odoo.fields import Command


class SaleOrder(models.Model):
    _inherit = "sale.order"

    agency_is_change_order = fields.Boolean(
        string="Change Order",
        copy=False,
        help="An approved change order: its work is billed as out-of-scope, apart from the original scope.",
    )

    agency_from_suggestion = fields.Boolean(
        string="From a Suggestion",
        copy=False,
        readonly=True,
        help="Made from a service suggestion (by staff or asked for by the client in the portal).",
    )
    agency_suggestion_ids = fields.Many2many(
        "agency.recommendation", string="Suggested Services", compute="_compute_agency_suggestion_ids"
    )

    @api.depends("partner_id", "state", "company_id", "order_line.product_id")
    @api.depends_context("lang")
    def _compute_agency_suggestion_ids(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id
            if order.state not in ("draft", "sent") or not partner.id:
                order.agency_suggestion_ids = False
                continue
            order.agency_suggestion_ids = partner.with_company(order.company_id)._agency_suggestions_besides(
                order.order_line.product_id
            )

    def _agency_add_suggested_product(self, product):
        """Add a suggested service to this quotation."""
        self.ensure_one()
        self.write({"order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
