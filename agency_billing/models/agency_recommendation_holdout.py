import time

from odoo import api, fields, models
from odoo.tools import SQL


class AgencyRecommendationEngine(models.AbstractModel):
    """The holdout evaluation of the recommender, with the recommender's own SQL (the back
    office's *Do they work here?* and ``bench/recommend.py``)."""

    _inherit = "agency.recommendation.engine"

    # ------------------------------------------------------------------
    # EVALUATION: does it work on this company's history?
    # ------------------------------------------------------------------

    @api.model
    def _evaluate(self, company, k=3):
        """Hold out each client's latest services (those it started buying last), learn from the
        rest with the recommender's own SQL, and count the clients for whom one of the held-out
        services is among the ``k`` first suggestions, for the recommender and for "most popular
        services". Returns a dict of figures."""
        started = time.perf_counter()
        if not company.agency_upsell_refreshed_at:
            self._refresh_full(company)
        self.env.flush_all()
        cr = self.env.cr
        tables = ("agency_eval_purchase", "agency_eval_pair")
        cr.execute(
            SQL(
                """
                DROP TABLE IF EXISTS agency_eval_purchase, agency_eval_pair, agency_eval_holdout;
                CREATE TEMP TABLE agency_eval_holdout AS
                SELECT p.partner_id, p.product_id
                  FROM agency_recommendation_purchase p
                  JOIN (SELECT partner_id, MAX(first_date) AS latest, MIN(first_date) AS earliest
                          FROM agency_recommendation_purchase WHERE company_id = %(company)s
                         GROUP BY partner_id) c
                    ON c.partner_id = p.partner_id AND p.first_date = c.latest AND c.latest > c.earliest
                 WHERE p.company_id = %(company)s;
                CREATE TEMP TABLE agency_eval_purchase AS
                SELECT p.company_id, p.partner_id, p.product_id, p.first_date, p.last_date, p.period_count,
                       p.amount, p.monthly_amount
                  FROM agency_recommendation_purchase p
                 WHERE p.company_id = %(company)s
                   AND NOT EXISTS (SELECT 1 FROM agency_eval_holdout h
                                    WHERE h.partner_id = p.partner_id AND h.product_id = p.product_id);
                CREATE INDEX ON agency_eval_purchase (partner_id, product_id);
                CREATE TEMP TABLE agency_eval_pair AS
                SELECT %(company)s AS company_id, * FROM (%(contributions)s) contributions;
                CREATE INDEX ON agency_eval_pair (product_id, other_product_id);
                ANALYZE agency_eval_holdout, agency_eval_purchase, agency_eval_pair;
                """,
                company=company.id,
                contributions=self._pair_contributions_sql("agency_eval_purchase", company.id),
            )
        )
        min_clients = self._min_clients(company)
        today = fields.Date.context_today(self)
        figures = {
            "clients": self.env.execute_query(SQL("SELECT COUNT(DISTINCT partner_id) FROM agency_eval_holdout"))[0][0]
        }
        for name, suggestions in (
            ("recommender", self._scores_sql(company.id, today, min_clients, tables=tables, keep=k)),
            ("popular", self._popular_sql(company.id, min_clients, tables=tables, keep=k)),
        ):
            hits = self.env.execute_query(
                SQL(
                    """
                    SELECT COUNT(DISTINCT s.partner_id)
                      FROM (%s) s
                      JOIN agency_eval_holdout h ON h.partner_id = s.partner_id AND h.product_id = s.product_id
                    """,
                    suggestions,
                )
            )[0][0]
            figures[f"{name}_hits"] = hits
            figures[f"{name}_hit_rate"] = hits / figures["clients"] if figures["clients"] else 0.0
        cr.execute(SQL("DROP TABLE agency_eval_purchase, agency_eval_pair, agency_eval_holdout"))
        popular = figures["popular_hit_rate"]
        figures["ratio"] = figures["recommender_hit_rate"] / popular if popular else 0.0
        figures["k"] = k
        figures["seconds"] = time.perf_counter() - started
        return figures

    @api.model
    def _popular_sql(self, company_id, min_clients, *, tables=None, keep=3):
        """The baseline: the services most clients buy, that the client does not buy yet."""
        purchase, pair = tables or ("agency_recommendation_purchase", "agency_recommendation_pair")
        return SQL(
            """
            WITH popular AS (
                SELECT product_id, client_count FROM %(pair)s
                 WHERE company_id = %(company)s AND product_id = other_product_id
                   AND client_count >= %(min_clients)s
            ), clients AS (
                SELECT DISTINCT partner_id FROM %(purchase)s WHERE company_id = %(company)s
            ), ranked AS (
                SELECT c.partner_id, p.product_id,
                       row_number() OVER (PARTITION BY c.partner_id ORDER BY p.client_count DESC, p.product_id) AS rank
                  FROM clients c CROSS JOIN popular p
                 WHERE NOT EXISTS (SELECT 1 FROM %(purchase)s own
                                    WHERE own.company_id = %(company)s AND own.partner_id = c.partner_id
                                      AND own.product_id = p.product_id)
            )
            SELECT partner_id, product_id, rank FROM ranked WHERE rank <= %(keep)s
            """,
            purchase=SQL.identifier(purchase),
            pair=SQL.identifier(pair),
            company=company_id,
            min_clients=min_clients,
            keep=keep,
        )
