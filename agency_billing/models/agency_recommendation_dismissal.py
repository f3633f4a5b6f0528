from odoo import fields, models


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
