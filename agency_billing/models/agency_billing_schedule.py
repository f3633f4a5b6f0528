import logging
from collections import defaultdict
from datetime import date as Date
from datetime import datetime, time

from psycopg2 import errors as pg_errors
from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.fields import Command, Domain
from odoo.tools import SQL

from .agency_billing_run_line import SKIP_REASONS

_logger = logging.getLogger(__name__)


class AgencyBillingSchedule(models.Model):
    """The scheduled billing of one client, for one company and one month.

    One record per client, company and period (a unique key): *pending* until the client's billing
    day, *billed* once its invoices are made, *to retry* when it was left out for a reason that can
    pass (another transaction held the client, a transient error, a PO or a credit limit, nothing
    delivered yet, ...), tried again at every later scheduled run of the month, and *closed* when
    the month ends unbilled. What is left unbilled is billed by the next month's run (the delivered
    quantities carry over). The scheduled run (``agency.billing.run``, trigger "cron") keeps the
    history staff read, client by client; this record is what the scheduler goes by.

    Workers share the rows with row locks (``FOR NO KEY UPDATE SKIP LOCKED``): a row is billed by
    the transaction that holds it, and written only by it; nothing shared is written per batch.
    """

    _name = "agency.billing.schedule"
    _description = "Scheduled Billing of a Client"
    _order = "period desc, billing_date, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    period = fields.Char(required=True, help="YYYY-MM")
    billing_date = fields.Date(help="The client's billing day in this month.")
    state = fields.Selection(
        [("pending", "Pending"), ("billed", "Billed"), ("retry", "To Retry"), ("closed", "Closed")],
        default="pending",
        required=True,
        index=True,
        help="Pending: its billing day has not come. To retry: left out for the reason shown, tried again at "
        "every scheduled run of the month. Closed: the month ended before it could be billed; what it "
        "left is billed next month.",
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    last_reason = fields.Selection(SKIP_REASONS, readonly=True)
    last_message = fields.Text(string="Last Reason", readonly=True)
    last_attempt = fields.Datetime(readonly=True)
    run_id = fields.Many2one("agency.billing.run", string="Scheduled Run", readonly=True, ondelete="set null")
    invoice_ids = fields.Many2many("account.move", string="Invoices", readonly=True)

    _partner_company_period_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, period)",
        "A client is scheduled once per company and month.",
    )

    # ------------------------------------------------------------------
    # CONCURRENCY
    # ------------------------------------------------------------------

    @api.model
    def _with_fresh_snapshot(self, function, tries=3):
        """Run ``function`` in a savepoint; when another worker committed the same rows since this
        transaction's snapshot (a serialization failure, or a row it inserted), commit what is done and
        run it again on a fresh snapshot, which sees that work. For the scheduled action only (it commits)."""
        for attempt in range(tries):
            try:
                with self.env.cr.savepoint():
                    return function()
            except (TransactionRollbackError, pg_errors.UniqueViolation):
                if attempt == tries - 1:
                    raise
                _logger.info("Scheduled billing: rows changed by another worker, again on a fresh snapshot")
                self.env["ir.cron"]._commit_progress()
                self.env.invalidate_all()
        return None

    # ------------------------------------------------------------------
    # THE MONTH'S ROWS
    # ------------------------------------------------------------------

    @api.model
    def _period_of(self, day):
        return day.strftime("%Y-%m")

    @api.model
    def _billing_date_of(self, partner, period):
        """The client's billing day in ``period`` (YYYY-MM)."""
        year, month = (int(part) for part in period.split("-"))
        return Date(year, month, min(max(partner.agency_billing_day or 1, 1), 28))

    @api.model
    def _sync_period(self, company, today):
        """Create the month's rows for the billable clients with confirmed orders in ``company``
        (idempotent: ``ON CONFLICT DO NOTHING``, so that two workers may do it at once)."""
        period = self._period_of(today)
        self.env["sale.order"].flush_model(["state", "company_id", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id", "agency_billing_day"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT contact.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner contact ON contact.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %s
                """,
                company.id,
            )
        )
        client_ids = [row[0] for row in self.env.cr.fetchall()]
        if not client_ids:
            return
        Run = self.env["agency.billing.run"]
        clients = self.env["res.partner"].search(Run._get_billable_partner_domain() & Domain("id", "in", client_ids))
        known = self.search([("company_id", "=", company.id), ("period", "=", period)]).partner_id
        missing = clients - known
        if not missing:
            return
        uid = self.env.uid
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO agency_billing_schedule
                       (partner_id, company_id, period, billing_date, state, attempt_count,
                        create_uid, write_uid, create_date, write_date)
                SELECT client.id, %(company)s, %(period)s, client.billing_date, 'pending', 0,
                       %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM (SELECT unnest(%(ids)s::int[]) AS id, unnest(%(dates)s::date[]) AS billing_date) client
                ON CONFLICT (partner_id, company_id, period) DO NOTHING
                """,
                company=company.id,
                period=period,
                uid=uid,
                ids=missing.ids,
                dates=[self._billing_date_of(partner, period) for partner in missing],
            )
        )

    @api.model
    def _close_past_periods(self, today):
        """A month is over: its rows still unbilled are closed (their reason kept), its scheduled
        runs are done."""
        period = self._period_of(today)
        self.search([("period", "<", period), ("state", "in", ("pending", "retry"))]).state = "closed"
        self.env["agency.billing.run"]._close_past_cron_runs(today)

    # ------------------------------------------------------------------
    # DUE ROWS: taken by one worker at a time
    # ------------------------------------------------------------------

    @api.model
    def _due_sql(self, companies, today, tried, untried_today=False):
        """Rows due on ``today``: billing day come, not billed, not ``tried`` by this run already;
        ``untried_today``: not tried at all today either."""
        self.flush_model()
        self.env["res.partner"].flush_model(["agency_billing_day"])
        conditions = [
            SQL("schedule.company_id IN %s", tuple(companies.ids)),
            SQL("schedule.period = %s", self._period_of(today)),
            SQL("schedule.state IN ('pending', 'retry')"),
            SQL("client.agency_billing_day <= %s", today.day),
        ]
        if tried:
            conditions.append(SQL("schedule.id NOT IN %s", tuple(tried)))
        if untried_today:
            start_of_day = datetime.combine(today, time.min)
            conditions.append(SQL("(schedule.last_attempt IS NULL OR schedule.last_attempt < %s)", start_of_day))
        return SQL(
            """
                 FROM agency_billing_schedule schedule
                 JOIN res_partner client ON client.id = schedule.partner_id
                WHERE %s
            """,
            SQL(" AND ").join(conditions),
        )

    @api.model
    def _count_due(self, companies, today, tried=(), untried_today=False):
        """How many clients are due and not tried yet by this run (held by another worker or not)."""
        if not companies:
            return 0
        self.env.cr.execute(SQL("SELECT COUNT(*) %s", self._due_sql(companies, today, tried, untried_today)))
        return self.env.cr.fetchone()[0]

    @api.model
    def _claim_due(self, company, today, tried, limit):
        """Take (row lock, ``SKIP LOCKED``) up to ``limit`` rows of ``company`` due today and not
        ``tried`` by this run: the never tried first, then the longest waiting. A row another worker
        holds is its to bill, and comes back at the next runs if it is not billed."""
        self.env.cr.execute(
            SQL(
                """
                SELECT schedule.id %s
                 ORDER BY schedule.last_attempt NULLS FIRST, client.agency_billing_day, schedule.id
                 LIMIT %s
                   FOR NO KEY UPDATE OF schedule SKIP LOCKED
                """,
                self._due_sql(company, today, tried),
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # OUTCOME
    # ------------------------------------------------------------------

    def _record_attempt(self, run, plans, today):
        """Write what the attempt of ``run`` gave for each row (held by this transaction)."""
        plans_by_partner = defaultdict(list)
        for plan in plans:
            plans_by_partner[plan.partner.id].append(plan)
        now = fields.Datetime.now()
        for schedule in self:
            partner = schedule.partner_id
            partner_plans = plans_by_partner.get(partner.id, [])
            invoices = self.env["account.move"].union(*(plan.invoice for plan in partner_plans if plan.invoice))
            waiting = [plan for plan in partner_plans if plan.state != "billed" and plan.reason != "already_billed"]
            vals = {
                "attempt_count": schedule.attempt_count + 1,
                "last_attempt": now,
                "run_id": run.id,
                "billing_date": self._billing_date_of(partner, schedule.period),
            }
            if not partner_plans:
                vals.update(
                    state="retry",
                    last_reason="nothing_to_bill",
                    last_message=self.env._("The client is not billed by the billing run (no billing policy)."),
                )
            elif waiting:
                vals.update(state="retry", last_reason=waiting[0].reason, last_message=waiting[0].message)
            else:
                vals.update(state="billed", last_reason=False, last_message=False)
                if not invoices:  # billed by another run (the wizard, or a worker before a crash)
                    invoices = self.env["account.move"].search(
                        [
                            ("agency_billing_key", "=like", run._billing_key(partner, "%", schedule.period)),
                            ("state", "!=", "cancel"),
                        ]
                    )
            if invoices:
                vals["invoice_ids"] = [Command.link(invoice.id) for invoice in invoices]
            schedule.write(vals)
