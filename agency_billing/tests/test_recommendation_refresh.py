from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationRefresh(AgencyRecommendationCommon):
    """The scheduled refresh recomputes only the clients whose invoices changed, and ends where a
    full recompute would."""

    def _tables(self):
        company = self.env.company.id
        self.env.flush_all()
        cr = self.env.cr
        result = []
        for query in (
            "SELECT product_id, other_product_id, client_count, round(monthly_sum::numeric, 2)"
            " FROM agency_recommendation_pair WHERE company_id = %s ORDER BY 1, 2",
            "SELECT partner_id, product_id, period_count, round(amount::numeric, 2)"
            " FROM agency_recommendation_purchase WHERE company_id = %s ORDER BY 1, 2",
            "SELECT partner_id, product_id, kind, rank, round(score::numeric, 6), support, anchor_product_id"
            " FROM agency_recommendation WHERE company_id = %s ORDER BY 1, 2, 3",
        ):
            cr.execute(query, [company])
            result.append(cr.fetchall())
        return result

    def test_incremental_refresh_only_changed_clients_same_result_as_full(self):
        others = self._make_clients(6)
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(others, [(self.seo, 900), (self.content, 600)])
        self._refresh()
        self.assertEqual(self._suggested(), [self.content])
        # what was there was refreshed two hours ago (in a test everything has the same time)
        self.env.flush_all()
        self.env.cr.execute("UPDATE account_move SET write_date = write_date - interval '4 hours'")
        self.env.company.agency_upsell_refreshed_at -= timedelta(hours=2)
        # new invoices for three clients, one of them cancelled again
        newcomers = self._make_clients(3)
        self._bill(newcomers, [(self.ads, 400), (self.seo, 900)])
        self._bill(others[:5], [(self.ads, 400)])
        cancelled = self._bill(others[5], [(self.audit, 5000)])
        cancelled.button_draft()
        cancelled.button_cancel()
        engine = self.env["agency.recommendation.engine"]
        refreshed = engine._refresh_incremental(self.env.company)
        self.assertEqual(refreshed, 3 + 6)
        incremental = self._tables()
        # the clients invoiced get their new suggestions at once
        self.assertEqual(self._suggested(newcomers[0]), [self.content])
        self.assertEqual(self._suggested(others[0]), [])  # now buys all three but the cancelled audit
        # the others keep theirs until the weekly full recompute: Acme does not get Ads yet
        self.assertEqual(self._suggested(), [self.content])
        self._refresh()
        full = self._tables()
        self.assertEqual(full[:2], incremental[:2])  # the learnt counts are exactly the full ones
        changed = set((newcomers | others).ids)
        self.assertEqual(
            [row for row in full[2] if row[0] in changed], [row for row in incremental[2] if row[0] in changed]
        )
        self.assertEqual(self._suggested(), [self.ads, self.content])
        # nothing changed since: the scheduled action leaves everything as it is
        progress = []

        def commit_progress(cron_model, processed=0, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0  # seconds left; no commit inside the test transaction

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            self.env["agency.recommendation.engine"]._cron_refresh()
        self.assertEqual(self._tables(), full)
        self.assertIn((1, 0), progress, "progress committed company by company")
        cron = self.env.ref("agency_billing.ir_cron_agency_recommendation_refresh")
        self.assertEqual(cron.code.strip(), "model._cron_refresh()")

    def test_first_refresh_is_full(self):
        self._bill(self.client_company, [(self.seo, 900)])
        self._bill(self._make_clients(5), [(self.seo, 900), (self.content, 600)])
        self.assertFalse(self.env.company.agency_upsell_refreshed_at)
        self.env["agency.recommendation.engine"]._refresh_incremental(self.env.company)
        self.assertTrue(self.env.company.agency_upsell_refreshed_at)
        self.assertEqual(self._suggested(), [self.content])
