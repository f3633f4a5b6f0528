from odoo import fields, models


class AgencyRecommendationPurchase(models.Model):
    """What one client bought of one service (posted customer invoices and credit notes of one
    company), aggregated by the recommendation engine's SQL; never edited by hand."""

    _name = "agency.recommendation.purchase"
    _description = "Service Bought by a Client"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Client", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Service", required=True, ondelete="cascade")
    first_date = fields.Date(required=True)
    last_date = fields.Date(required=True)
    period_count = fields.Integer(string="Months Billed", required=True)
    amount = fields.Float(required=True)
    monthly_amount = fields.Float(required=True)

    _client_service_unique = models.Constraint(
        "UNIQUE(company_id, partner_id, product_id)", "A client's purchases of a service are aggregated once."
    )
    _product_index = models.Index("(company_id, product_id)")
