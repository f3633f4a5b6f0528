from odoo import fields, models


class AgencyRecommendationEvaluation(models.TransientModel):
    """Does suggesting what similar clients buy work on this agency's own history? Holds out each
    client's latest services and compares the hit rate at 3 of the suggestions with the one of
    suggesting the most popular services."""

    _name = "agency.recommendation.evaluation"
    _description = "Service Suggestions Evaluation"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)
    client_count = fields.Integer(string="Clients Tested", readonly=True)
    hit_count = fields.Integer(string="Found by the Suggestions", readonly=True)
    popular_hit_count = fields.Integer(string="Found by Most Popular", readonly=True)
    hit_rate = fields.Float(string="Suggestions: Hit Rate at 3", readonly=True, digits=(16, 3))
    popular_hit_rate = fields.Float(string="Most Popular: Hit Rate at 3", readonly=True, digits=(16, 3))
    ratio = fields.Float(string="Times Better", readonly=True, digits=(16, 2))

    def action_evaluate(self):
        for wizard in self:
            figures = self.env["agency.recommendation.engine"]._evaluate(wizard.company_id, k=3)
            wizard.write(
                {
                    "state": "done",
                    "client_count": figures["clients"],
                    "hit_count": figures["recommender_hits"],
                    "popular_hit_count": figures["popular_hits"],
                    "hit_rate": figures["recommender_hit_rate"],
                    "popular_hit_rate": figures["popular_hit_rate"],
                    "ratio": figures["ratio"],
                }
            )
        return self._get_records_action(name=self.env._("Do Suggestions Work Here?"), target="new")
