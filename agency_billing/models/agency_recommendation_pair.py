from odoo import fields, models


class AgencyRecommendationPair(models.Model):
    """How many clients of a company buy two services (both the same: how many buy it), and what
    those clients spend per month on the second one. Maintained by the recommendation engine."""

    _name = "agency.recommendation.pair"
    _description = "Services Bought Together"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Service", required=True, ondelete="cascade")
    other_product_id = fields.Many2one("product.product", string="Also Bought", required=True, ondelete="cascade")
    client_count = fields.Integer(required=True)
    monthly_sum = fields.Float(required=True)

    _pair_unique = models.Constraint(
        "UNIQUE(company_id, product_id, other_product_id)", "A pair of services is counted once per company."
    )
