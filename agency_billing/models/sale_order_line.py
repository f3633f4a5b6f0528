from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    agency_out_of_scope = fields.Boolean(
        string="Out of Scope",
        compute="_compute_agency_out_of_scope",
        store=True,
        readonly=False,
        help="Work beyond the agreed scope: shown apart on the invoice.",
    )
    agency_is_retainer = fields.Boolean(
        string="Retainer",
        compute="_compute_agency_is_retainer",
        store=True,
        readonly=False,
        help="Billed one unit per period by the billing run, up to the ordered quantity.",
    )

    @api.depends("order_id.agency_is_change_order")
    def _compute_agency_out_of_scope(self):
        for line in self:
            line.agency_out_of_scope = line.order_id.agency_is_change_order

    @api.depends("product_id")
    def _compute_agency_is_retainer(self):
        for line in self:
            line.agency_is_retainer = line.product_id.product_tmpl_id.agency_is_retainer

    def _agency_project(self):
        """The project a line's work belongs to: its own, else its order's."""
        self.ensure_one()
        return self.project_id or self.order_id.project_id
