from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationScores(AgencyRecommendationCommon):
    """What is suggested, in what order, and why: scores, reasons, expected amounts, privacy."""

    def test_privacy_threshold_four_other_clients_suggest_nothing(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(4), [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self.assertEqual(self._suggested(), [])

    def test_privacy_threshold_five_other_clients_suggest_one(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(5), [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.content])

    def test_privacy_threshold_holds_between_full_recomputes(self):
        # five other clients, then one of them cancels: only that one is refreshed by the hourly run
        self._bill(self.client_company, [(self.seo, 900)])
        buyers = self._make_clients(5)
        moves = self._bill(buyers, [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.content])
        moves[0].button_draft()
        moves[0].button_cancel()
        self.env["agency.recommendation.engine"]._refresh_partners(self.env.company, buyers[0].ids)
        self.assertEqual(self._suggested(), [], "4 clients behind it now: not shown, even before Acme is refreshed")

    def test_threshold_is_a_setting(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(4), [(self.seo, 900), (self.content, 600)])
        self.env.company.agency_upsell_min_clients = 4
        self._refresh()
        self.assertEqual(self._suggested(), [self.content])

    def test_reason_counts_other_clients_and_expected_monthly_is_their_average(self):
        self._bill(self.client_company, [(self.seo, 900)])
        buyers = self._make_clients(8)
        for amount, buyer in zip(range(500, 900, 50), buyers, strict=True):
            self._bill(buyer, [(self.seo, 900), (self.content, amount)])
        self._bill(self._make_clients(3), [(self.seo, 900)])
        self._refresh()
        [suggestion] = self.client_company._agency_recommendations()
        self.assertEqual(suggestion["product"], self.content)
        self.assertEqual(suggestion["reason"], "8 of 11 clients who buy SEO also buy Content writing")
        self.assertAlmostEqual(suggestion["expected_monthly"], sum(range(500, 900, 50)) / 8)
        self.assertEqual(suggestion["currency"], self.env.company.currency_id)
        self.assertGreater(suggestion["score"], 0)

    def test_more_similar_clients_rank_first(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(8), [(self.seo, 900), (self.content, 600)])
        self._bill(self._make_clients(5), [(self.seo, 900), (self.ads, 600)])
        self._bill(self._make_clients(6), [(self.ads, 600)])
        self._refresh()
        suggestions = self.client_company._agency_recommendations()
        self.assertEqual([vals["product"] for vals in suggestions], [self.content, self.ads])
        self.assertGreater(suggestions[0]["score"], suggestions[1]["score"])

    def test_recent_purchases_weigh_more(self):
        # the client bought SEO lately and Ads three years ago: what goes with SEO comes first
        self.env.company.agency_upsell_skip_overdue = False  # the old invoice is unpaid
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self.client_company, [(self.ads, 400)], date=self.today.replace(year=self.today.year - 3))
        self._bill(self._make_clients(6), [(self.seo, 900), (self.content, 600)])
        self._bill(self._make_clients(6), [(self.ads, 400), (self.audit, 600)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.content, self.audit])

    def test_amount_weighs_between_equally_similar_services(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(6), [(self.seo, 900), (self.content, 100), (self.audit, 5000)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.audit, self.content])

    def test_what_the_client_buys_is_not_suggested(self):
        self._bill(self.client_company, [(self.seo, 900), (self.content, 600)])
        self._bill(self._make_clients(6), [(self.seo, 900), (self.content, 600), (self.ads, 300)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.ads])

    def test_nothing_of_another_client_is_shown(self):
        self._bill(self.client_company, [(self.seo, 900)])
        buyers = self._make_clients(5, prefix="Secretive")
        for amount, buyer in zip((610, 620, 630, 640, 655), buyers, strict=True):
            self._bill(buyer, [(self.seo, 900), (self.content, amount)])
        self._refresh()
        for lang in ("en_US",):
            [suggestion] = self.client_company.with_context(lang=lang)._agency_recommendations()
            shown = " ".join(str(value) for value in suggestion.values())
            self.assertNotIn("Secretive", shown)
            for amount in (610, 620, 630, 640, 655):
                self.assertNotEqual(round(suggestion["expected_monthly"], 2), amount)
                self.assertNotIn(str(amount), suggestion["reason"])
        # the stored suggestions hold counts and an average only
        record = self.client_company._agency_suggestion_records()
        self.assertEqual(record.support, 5)
        self.assertNotIn(record.partner_id, buyers)

    def test_learns_only_from_the_same_company(self):
        other_company = self.setup_other_company()["company"]
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(6), [(self.seo, 900), (self.content, 600)], company=other_company)
        self.env["agency.recommendation.engine"]._refresh_full()
        self.assertEqual(self._suggested(), [])
        self.assertEqual(self.client_company.with_company(other_company)._agency_recommendations(), [])

    def test_suggestions_can_be_switched_off(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(5), [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self.client_company.agency_upsell_opt_out = True
        self.assertEqual(self._suggested(), [])
        self.client_company.agency_upsell_opt_out = False
        self.env.company.agency_upsell_enabled = False
        self.assertEqual(self._suggested(), [])
        self.assertEqual(self.client_department._agency_recommendations(), [])
