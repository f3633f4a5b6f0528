from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationEvaluation(AgencyRecommendationCommon):
    """The back-office evaluation: each client's latest services held out, hit rate at 3 of the
    suggestions and of the most popular services."""

    def test_evaluation_counts_hits_of_both(self):
        Product = self.env["product.product"]
        noise = Product.create(
            [{"name": name, "type": "service", "taxes_id": []} for name in ("Print", "Video", "Social")]
        )
        start = self.today - relativedelta(years=2)

        def history(clients, *steps):
            for months, products in steps:
                self._bill(clients, [(product, 500) for product in products], date=start + relativedelta(months=months))

        a, b = self._make_clients(7), self._make_clients(7)
        a2, b2 = self._make_clients(6), self._make_clients(6)
        history(a, (0, [self.audit]), (1, [self.seo]), (5, [self.content]))
        history(b, (0, [self.audit]), (1, [self.ads]), (5, [self.hosting]))
        history(a2, (0, [self.content]), (2, [self.seo]), (5, [self.audit]))
        history(b2, (0, [self.hosting]), (2, [self.ads]), (5, [self.audit]))
        # popular services bought all at once by others: they are never tested, only popular
        history(self._make_clients(10), (0, noise))
        self.env.company.agency_upsell_skip_overdue = False
        self.env.user.group_ids += self.env.ref("agency_billing.group_agency_billing_user")
        wizard = self.env["agency.recommendation.evaluation"].create({})
        wizard.action_evaluate()
        self.assertEqual(wizard.client_count, 26)
        self.assertEqual(wizard.hit_count, 26)
        self.assertEqual(wizard.popular_hit_count, 12)  # only the ones whose held-out audit is the most popular
        self.assertAlmostEqual(wizard.ratio, 26 / 12, places=2)
        # the stored suggestions are untouched by the evaluation
        self._refresh()
        before = self.env["agency.recommendation"].search_count([])
        wizard.action_evaluate()
        self.assertEqual(self.env["agency.recommendation"].search_count([]), before)
