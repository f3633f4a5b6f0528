from odoo import api, fields, models


class AgencyRecommendationDismissal(models.Model):
    """A service staff dismissed for a client: never suggested to it again (until restored)."""

    _name = "agency.recommendation.dismissal"
    _description = "Dismissed Service Suggestion"
    _order = "create_date desc, id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Service", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Dismissed By", default=lambda self: self.env.user)

    _dismissal_unique = models.Constraint(
        "UNIQUE(company_id, partner_id, product_id)", "This suggestion is already dismissed for this client."
    )

    @api.model_create_multi
    def create(self, vals_list):
        dismissals = super().create(vals_list)
        for dismissal in dismissals:  # gone from every list at once
            self.env["agency.recommendation"].sudo().search(
                [
                    ("company_id", "=", dismissal.company_id.id),
                    ("partner_id", "=", dismissal.partner_id.id),
                    ("product_id", "=", dismissal.product_id.id),
                    ("kind", "=", "new"),
                ]
            ).unlink()
        return dismissals

    def unlink(self):
        """Restoring a suggestion computes the client's suggestions again, with it."""
        clients = [(dismissal.company_id, dismissal.partner_id.id) for dismissal in self]
        result = super().unlink()
        engine = self.env["agency.recommendation.engine"].sudo()
        for company, partner_id in clients:
            engine._refresh_partners(company, [partner_id])
        return result
