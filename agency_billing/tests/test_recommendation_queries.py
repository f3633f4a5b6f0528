from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon

LOOKUP_QUERIES = 11


@tagged("post_install", "-at_install")
class TestRecommendationQueries(AgencyRecommendationCommon):
    """A client's suggestions cost the same number of queries whatever the number of clients and
    suggestions: the portal and the invoice panel call it on every page."""

    def _lookup(self, expected):
        self.env.flush_all()
        for _warm_up in range(2):  # the registry caches (record rules, languages)
            self.client_company._agency_recommendations(limit=3)
            self.env.invalidate_all()
        self.env.invalidate_all()
        with self.assertQueryCount(LOOKUP_QUERIES):
            suggestions = self.client_company._agency_recommendations(limit=3)
        self.assertEqual([vals["product"] for vals in suggestions], expected)
        for vals in suggestions:
            self.assertTrue(vals["reason"])

    def test_lookup_queries_at_n_and_2n(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(6), [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self._lookup([self.content])
        self._bill(self._make_clients(12), [(self.seo, 900), (self.ads, 600), (self.audit, 900)])
        self._refresh()
        self._lookup([self.audit, self.ads, self.content])
