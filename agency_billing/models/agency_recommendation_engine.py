import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# How many suggestions of new services are kept per client (the display shows fewer; the extra
# ones stand in for suggestions a person dismisses).
KEPT_PER_CLIENT = 10
# A service bought a year ago weighs half as much as one bought today in the client's profile.
RECENCY_HALF_LIFE_DAYS = 365.0
# Incremental refreshes look this far back before the last refresh: a transaction that started
# before it and committed after it wrote older write dates. Refreshing a client twice is harmless.
REFRESH_OVERLAP = timedelta(hours=1)


class AgencyRecommendationEngine(models.AbstractModel):
    """The recommender: item-to-item similarity over clients, in SQL, in one place.

    Three stored tables, all per company, written only here:

    * ``agency.recommendation.purchase``: per client and service, what the client bought (first
      and last date, billed months, amount, average monthly amount), from posted customer
      invoices and credit notes;
    * ``agency.recommendation.pair``: per pair of services, how many clients buy both (the
      diagonal: how many buy the service) and what those clients spend per month on the second;
    * ``agency.recommendation``: per client, the best-scored new services and the renewals due.

    Score of a service j for a client c who does not buy it:
    ``sum over the services i of c of cosine(i, j) * 0.5 ** (age of c's last purchase of i / 1 year)``,
    times ``1 + log10(1 + expected monthly amount) / 10``, where
    ``cosine(i, j) = clients buying i and j / sqrt(clients buying i * clients buying j)``.
    So: how many similar clients buy it, how recently the client bought what makes it similar, and
    (slightly) how much it is worth. The reason names the service i with most clients buying both.

    The full refresh recomputes a company's tables; the incremental one only the clients whose
    invoices changed since the last refresh, adjusting the pair counts by what these clients
    contributed before and after. The evaluation (``_evaluate``) and the benchmark run the same
    SQL on a copy of the purchases with each client's latest services held out.
    """

    _name = "agency.recommendation.engine"
    _description = "Service Recommendation Engine"

    # ------------------------------------------------------------------
    # SOURCE: what clients bought
    # ------------------------------------------------------------------

    @api.model
    def _source_lines_sql(self, company_id, partner_ids=None):
        """Product lines of posted customer invoices and credit notes of one company, as
        (partner_id, product_id, date, amount in company currency; credit notes negative)."""
        partner_filter = (
            SQL("AND am.commercial_partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        )
        return SQL(
            """
            SELECT am.commercial_partner_id AS partner_id, aml.product_id, aml.date, -aml.balance AS amount
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
             WHERE aml.company_id = %(company)s
               AND aml.parent_state = 'posted'
               AND aml.display_type = 'product'
               AND aml.product_id IS NOT NULL
               AND am.move_type IN ('out_invoice', 'out_refund')
               %(partner_filter)s
            """,
            company=company_id,
            partner_filter=partner_filter,
        )

    @api.model
    def _insert_purchases_sql(self, table, company_id, partner_ids=None):
        """Aggregate the source lines per client and service into ``table``."""
        return SQL(
            """
            INSERT INTO %(table)s (company_id, partner_id, product_id, first_date, last_date,
                                   period_count, amount, monthly_amount)
            SELECT %(company)s, partner_id, product_id, MIN(date), MAX(date),
                   COUNT(DISTINCT date_trunc('month', date)), SUM(amount),
                   SUM(amount) / ((date_part('year', MAX(date)) - date_part('year', MIN(date))) * 12
                                  + date_part('month', MAX(date)) - date_part('month', MIN(date)) + 1)
              FROM (%(source)s) lines
             GROUP BY partner_id, product_id
            HAVING SUM(amount) > 0
            """,
            table=SQL.identifier(table),
            company=company_id,
            source=self._source_lines_sql(company_id, partner_ids),
        )

    @api.model
    def _pair_contributions_sql(self, table, company_id, partner_ids=None):
        """What each client contributes to the pair table: one per pair of its services."""
        partner_filter = SQL("AND a.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """
            SELECT a.product_id, b.product_id AS other_product_id,
                   COUNT(*) AS client_count, SUM(b.monthly_amount) AS monthly_sum
              FROM %(table)s a
              JOIN %(table)s b ON b.company_id = a.company_id AND b.partner_id = a.partner_id
             WHERE a.company_id = %(company)s %(partner_filter)s
             GROUP BY a.product_id, b.product_id
            """,
            table=SQL.identifier(table),
            company=company_id,
            partner_filter=partner_filter,
        )

    # ------------------------------------------------------------------
    # SCORING: the algorithm (one query, used by the app, the evaluation and the benchmark)
    # ------------------------------------------------------------------

    @api.model
    def _scores_sql(self, company_id, today, min_clients, partner_ids=None, *, tables=None, keep=KEPT_PER_CLIENT):
        """Best new services per client, ranked: (partner_id, product_id, rank, score, support,
        anchor_product_id, anchor_count, expected_monthly).

        ``support``: clients (others, since the client does not buy it) buying both the service
        and the anchor, the service of the client that most of them buy; ``anchor_count``: all
        clients buying the anchor, the client included. Only services with ``support >=
        min_clients`` are kept: nothing is suggested on the word of fewer clients.
        """
        purchase, pair = tables or ("agency_recommendation_purchase", "agency_recommendation_pair")
        partner_filter = SQL("AND partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """
            WITH base AS MATERIALIZED (
                SELECT partner_id, product_id,
                       power(0.5, GREATEST(%(today)s::date - last_date, 0)::float / %(half_life)s::float) AS recency
                  FROM %(purchase)s
                 WHERE company_id = %(company)s %(partner_filter)s
            ), candidate AS (
                SELECT b.partner_id, q.other_product_id AS product_id,
                       SUM(q.client_count / sqrt(di.client_count::float * dj.client_count) * b.recency) AS similarity,
                       MAX(q.client_count) AS support,
                       -- the anchor: most clients buying both, then the most specific, then the lowest id
                       -(MAX(ARRAY[q.client_count, -di.client_count, -q.product_id]))[3] AS anchor_product_id
                  FROM base b
                  JOIN %(pair)s q ON q.company_id = %(company)s AND q.product_id = b.product_id
                                 AND q.other_product_id != b.product_id
                  JOIN %(pair)s di ON di.company_id = %(company)s AND di.product_id = b.product_id
                                  AND di.other_product_id = b.product_id
                  JOIN %(pair)s dj ON dj.company_id = %(company)s AND dj.product_id = q.other_product_id
                                  AND dj.other_product_id = q.other_product_id
                 WHERE NOT EXISTS (SELECT 1 FROM %(purchase)s own
                                    WHERE own.company_id = %(company)s AND own.partner_id = b.partner_id
                                      AND own.product_id = q.other_product_id)
                 GROUP BY b.partner_id, q.other_product_id
                HAVING MAX(q.client_count) >= %(min_clients)s
            ), scored AS (
                SELECT c.partner_id, c.product_id, c.support, c.anchor_product_id,
                       da.client_count AS anchor_count,
                       qa.monthly_sum / qa.client_count AS expected_monthly,
                       c.similarity * (1 + log(1 + GREATEST(qa.monthly_sum / qa.client_count, 0)) / 10) AS score
                  FROM candidate c
                  JOIN %(pair)s qa ON qa.company_id = %(company)s AND qa.product_id = c.anchor_product_id
                                  AND qa.other_product_id = c.product_id
                  JOIN %(pair)s da ON da.company_id = %(company)s AND da.product_id = c.anchor_product_id
                                  AND da.other_product_id = c.anchor_product_id
            ), ranked AS (
                SELECT *, row_number() OVER (PARTITION BY partner_id ORDER BY score DESC, product_id) AS rank
                  FROM scored
            )
            SELECT partner_id, product_id, rank, score, support, anchor_product_id, anchor_count, expected_monthly
              FROM ranked
             WHERE rank <= %(keep)s
            """,
            purchase=SQL.identifier(purchase),
            pair=SQL.identifier(pair),
            company=company_id,
            today=today,
            half_life=RECENCY_HALF_LIFE_DAYS,
            min_clients=min_clients,
            partner_filter=partner_filter,
            keep=keep,
        )

    @api.model
    def _renewals_sql(self, company_id, partner_ids=None):
        """Services a client buys again and again (quarterly, yearly: hosting, audits) or that are
        set to renew (the service's *Renews Every*), with the date the next one is due.
        Monthly services are left out: a retainer's renewal comes from its order (see res.partner)."""
        partner_filter = SQL("AND p.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """
            WITH cadence AS (
                SELECT p.partner_id, p.product_id, p.last_date, p.monthly_amount,
                       COALESCE(NULLIF(pt.agency_renewal_months, 0),
                                CASE WHEN p.period_count < 2 THEN NULL
                                     WHEN (p.last_date - p.first_date) / (p.period_count - 1) <= 45 THEN 1
                                     WHEN (p.last_date - p.first_date) / (p.period_count - 1) <= 135 THEN 3
                                     WHEN (p.last_date - p.first_date) / (p.period_count - 1) <= 270 THEN 6
                                     ELSE 12 END) AS months
                  FROM agency_recommendation_purchase p
                  JOIN product_product pp ON pp.id = p.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE p.company_id = %(company)s AND NOT COALESCE(pt.agency_is_retainer, FALSE) %(partner_filter)s
            )
            SELECT partner_id, product_id, monthly_amount,
                   (last_date + make_interval(months => months))::date AS date_due
              FROM cadence
             WHERE months >= 3
            """,
            company=company_id,
            partner_filter=partner_filter,
        )

    # ------------------------------------------------------------------
    # REFRESH
    # ------------------------------------------------------------------

    @api.model
    def _refresh_full(self, companies=None):
        """Recompute everything for these companies (default: every company). Returns seconds."""
        started = time.perf_counter()
        self.env.flush_all()
        cr = self.env.cr
        for company in companies or self.env["res.company"].sudo().search([]):
            refreshed_at = self._now()
            for table in ("agency_recommendation", "agency_recommendation_pair", "agency_recommendation_purchase"):
                cr.execute(SQL("DELETE FROM %s WHERE company_id = %s", SQL.identifier(table), company.id))
            cr.execute(self._insert_purchases_sql("agency_recommendation_purchase", company.id))
            cr.execute(
                SQL(
                    """
                    INSERT INTO agency_recommendation_pair
                           (company_id, product_id, other_product_id, client_count, monthly_sum)
                    SELECT %(company)s, product_id, other_product_id, client_count, monthly_sum
                      FROM (%(contributions)s) contributions
                    """,
                    company=company.id,
                    contributions=self._pair_contributions_sql("agency_recommendation_purchase", company.id),
                )
            )
            # fresh statistics, or PostgreSQL plans the scoring for empty tables
            cr.execute(SQL("ANALYZE agency_recommendation_purchase, agency_recommendation_pair"))
            self._store_recommendations(company)
            company.sudo().agency_upsell_refreshed_at = refreshed_at
        self._invalidate()
        return time.perf_counter() - started

    @api.model
    def _refresh_incremental(self, companies=None):
        """Refresh only the clients whose customer invoices changed since the last refresh (and
        the pair counts of their services). A company never refreshed is refreshed in full.
        Returns the number of clients refreshed."""
        self.env.flush_all()
        refreshed = 0
        for company in companies or self.env["res.company"].sudo().search([]):
            since = company.agency_upsell_refreshed_at
            if not since:
                self._refresh_full(company)
                continue
            refreshed_at = self._now()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT commercial_partner_id FROM account_move
                     WHERE company_id = %s AND write_date >= %s AND commercial_partner_id IS NOT NULL
                       AND move_type IN ('out_invoice', 'out_refund')
                    """,
                    company.id,
                    since - REFRESH_OVERLAP,
                )
            )
            partner_ids = [row[0] for row in rows]
            if partner_ids:
                self._refresh_partners(company, partner_ids)
            company.sudo().agency_upsell_refreshed_at = refreshed_at
            refreshed += len(partner_ids)
        self._invalidate()
        return refreshed

    @api.model
    def _refresh_partners(self, company, partner_ids):
        """Recompute these clients' purchases, move the pair counts by the difference, and
        recompute their suggestions."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(self._add_pair_contributions_sql(company.id, partner_ids, -1))  # what they contributed
        cr.execute(
            SQL(
                "DELETE FROM agency_recommendation_purchase WHERE company_id = %s AND partner_id = ANY(%s)",
                company.id,
                partner_ids,
            )
        )
        cr.execute(self._insert_purchases_sql("agency_recommendation_purchase", company.id, partner_ids))
        cr.execute(self._add_pair_contributions_sql(company.id, partner_ids, 1))  # what they contribute now
        cr.execute(
            SQL("DELETE FROM agency_recommendation_pair WHERE company_id = %s AND client_count <= 0", company.id)
        )
        self._store_recommendations(company, partner_ids)
        self._invalidate()

    @api.model
    def _add_pair_contributions_sql(self, company_id, partner_ids, sign):
        """Add (sign 1) or remove (sign -1) what these clients contribute to the pair counts."""
        return SQL(
            """
            INSERT INTO agency_recommendation_pair AS q
                   (company_id, product_id, other_product_id, client_count, monthly_sum)
            SELECT %(company)s, product_id, other_product_id, %(sign)s * client_count, %(sign)s * monthly_sum
              FROM (%(contributions)s) contributions
                ON CONFLICT (company_id, product_id, other_product_id) DO UPDATE
               SET client_count = q.client_count + EXCLUDED.client_count,
                   monthly_sum = q.monthly_sum + EXCLUDED.monthly_sum
            """,
            company=company_id,
            sign=sign,
            contributions=self._pair_contributions_sql("agency_recommendation_purchase", company_id, partner_ids),
        )

    @api.model
    def _store_recommendations(self, company, partner_ids=None):
        cr = self.env.cr
        partner_filter = SQL("AND partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        cr.execute(SQL("DELETE FROM agency_recommendation WHERE company_id = %s %s", company.id, partner_filter))
        today = fields.Date.context_today(self)
        cr.execute(
            SQL(
                """
                INSERT INTO agency_recommendation (company_id, partner_id, product_id, kind, rank, score, support,
                                                   anchor_product_id, anchor_count, expected_monthly)
                SELECT %(company)s, partner_id, product_id, 'new', rank, score, support,
                       anchor_product_id, anchor_count, expected_monthly
                  FROM (%(scores)s) scores
                 WHERE NOT EXISTS (SELECT 1 FROM agency_recommendation_dismissal d
                                    WHERE d.company_id = %(company)s AND d.partner_id = scores.partner_id
                                      AND d.product_id = scores.product_id)
                """,
                company=company.id,
                scores=self._scores_sql(company.id, today, self._min_clients(company), partner_ids),
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO agency_recommendation (company_id, partner_id, product_id, kind, date_due, expected_monthly)
                SELECT %(company)s, partner_id, product_id, 'renewal', date_due, monthly_amount
                  FROM (%(renewals)s) renewals
                """,
                company=company.id,
                renewals=self._renewals_sql(company.id, partner_ids),
            )
        )

    @api.model
    def _min_clients(self, company):
        # never fewer than 3 other clients behind a suggestion, whatever the setting
        return max(company.agency_upsell_min_clients, 3)

    @api.model
    def _now(self):
        return self.env.execute_query(SQL("SELECT now() AT TIME ZONE 'UTC'"))[0][0]

    @api.model
    def _invalidate(self):
        for model in ("agency.recommendation", "agency.recommendation.pair", "agency.recommendation.purchase"):
            self.env[model].invalidate_model()
        self.env["res.company"].invalidate_model(["agency_upsell_refreshed_at"])

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_refresh(self):
        """Hourly: the clients invoiced since the last refresh, company by company."""
        self._cron_each_company(self._refresh_incremental)

    @api.model
    def _cron_refresh_full(self):
        """Weekly: everything again (the other clients' scores catch up, recency ages)."""
        self._cron_each_company(self._refresh_full)

    @api.model
    def _cron_each_company(self, refresh):
        companies = self.env["res.company"].sudo().search([])
        for done, company in enumerate(companies, start=1):
            result = refresh(company)
            _logger.info("Service suggestions of %s refreshed (%s)", company.name, result)
            if self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - done) <= 0:
                return
