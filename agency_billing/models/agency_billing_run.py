from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils, split_every

BATCH_SIZE = 50
RETRY_LOCKED_MINUTES = 15  # clients held by another transaction: the scheduled billing runs again then


class AgencyBillingRun(models.Model):
    """One billing run: what was (or will be) billed for a period, client by client.

    The run is its own history: who ran it, when, what it billed and what it left out, and why.
    This file holds the run itself (fields, actions, the scheduled action); planning (who is
    billed, what, why not) is in ``agency_billing_run_planning.py``, making the invoices in
    ``agency_billing_run_invoicing.py`` and the pre-filling of Odoo's line values in
    ``agency_billing_run_prefill.py``.
    """

    _name = "agency.billing.run"
    _description = "Billing Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(
        string="Invoice Date",
        required=True,
        default=fields.Date.context_today,
        help="Date of the invoices; the period billed is its calendar month.",
    )
    period = fields.Char(compute="_compute_period", store=True, index=True, help="YYYY-MM")
    period_start = fields.Date(compute="_compute_period", store=True)
    period_end = fields.Date(compute="_compute_period", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Run By", default=lambda self: self.env.user, readonly=True)
    trigger = fields.Selection(
        [("manual", "Manual"), ("cron", "Scheduled")], default="manual", required=True, readonly=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("previewed", "Previewed"), ("in_progress", "In Progress"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        help="A scheduled run is in progress all through its month, billing each client on its billing day, "
        "and done once the month is over.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        domain=[("agency_billing_policy", "!=", False), ("is_company", "=", True)],
        help="Leave empty to bill every client with a billing policy.",
    )
    line_ids = fields.One2many("agency.billing.run.line", "run_id", string="Clients Billed or Left Out")
    invoice_ids = fields.Many2many("account.move", compute="_compute_totals", string="Invoices")
    invoice_count = fields.Integer(compute="_compute_totals")
    to_bill_count = fields.Integer(compute="_compute_totals")
    billed_count = fields.Integer(compute="_compute_totals")
    skipped_count = fields.Integer(compute="_compute_totals")
    failed_count = fields.Integer(compute="_compute_totals")
    amount_total = fields.Monetary(compute="_compute_totals", string="Amount to Bill / Billed")
    amount_billed = fields.Monetary(compute="_compute_totals", string="Billed (untaxed)")
    billed_at = fields.Datetime(readonly=True)
    schedule_ids = fields.One2many("agency.billing.schedule", "run_id", string="Scheduled Clients")

    _cron_period_unique = models.UniqueIndex(
        "(company_id, period) WHERE trigger = 'cron'",
        "The scheduled billing has one run per company and month.",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("date")
    def _compute_period(self):
        for run in self:
            date = run.date or fields.Date.context_today(run)
            run.period_start = date_utils.start_of(date, "month")
            run.period_end = date_utils.end_of(date, "month")
            run.period = date.strftime("%Y-%m")

    @api.depends("period", "trigger")
    def _compute_name(self):
        for run in self:
            label = (
                self.env._("Scheduled billing %(period)s", period=run.period)
                if run.trigger == "cron"
                else self.env._("Billing %(period)s", period=run.period)
            )
            run.name = label

    @api.depends("line_ids.state", "line_ids.amount", "line_ids.invoice_id")
    def _compute_totals(self):
        for run in self:
            lines = run.line_ids
            run.invoice_ids = lines.invoice_id
            run.invoice_count = len(lines.invoice_id)
            run.to_bill_count = len(lines.filtered(lambda line: line.state == "to_bill"))
            run.billed_count = len(lines.filtered(lambda line: line.state == "billed"))
            run.skipped_count = len(lines.filtered(lambda line: line.state == "skipped"))
            run.failed_count = len(lines.filtered(lambda line: line.state == "failed"))
            run.amount_total = sum(lines.filtered(lambda line: line.state in ("to_bill", "billed")).mapped("amount"))
            run.amount_billed = sum(lines.filtered(lambda line: line.state == "billed").mapped("amount"))

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_preview(self):
        """Show, client by client, what the run will bill, its total, the change versus the last
        period and why anything is left out. Nothing is created but the preview lines."""
        self._check_can_bill()
        for run in self:
            run.line_ids.unlink()
            self.env["agency.billing.run.line"].create(run._agency_preview_values())
            run.state = "previewed"
        return True

    def _agency_preview_values(self):
        """The values of the run's lines, client by client, without writing anything: works on a run
        not saved yet (``new``), which is how *Bill Clients* previews before anything is created."""
        self.ensure_one()
        partners = self._get_partners_to_bill()
        vals_list = []
        for partner_ids in split_every(BATCH_SIZE, partners.ids):
            for plan in self._plan_partners(self.env["res.partner"].browse(partner_ids)):
                vals_list.append(self._plan_to_line_vals(plan))
        return vals_list

    def action_bill(self):
        """Bill every client of the run (previewing first when needed). Exactly once: a client
        already billed for the period, or being billed by another run, is not billed again."""
        self._check_can_bill()
        for run in self:
            partners = run._get_partners_to_bill()
            run.line_ids.filtered(lambda line: line.state != "billed").unlink()
            for partner_ids in split_every(BATCH_SIZE, partners.ids):
                run._bill_partners(self.env["res.partner"].browse(partner_ids))
            run.write({"state": "done", "billed_at": fields.Datetime.now()})
        return True

    def _check_can_bill(self):
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("This billing run is done: start a new one to bill again."))
            if run.trigger == "cron":
                raise UserError(
                    self.env._(
                        "%(run)s bills each client on its billing day by itself: start a new billing run "
                        "to bill clients now.",
                        run=run.name,
                    )
                )

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_bill_due_clients(self, date_ref=None):
        """Bill each client on its billing day, and again at every later run of the month what could
        not be billed yet, in batches, committing each batch.

        The scheduler goes by ``agency.billing.schedule`` (a row per client, company and month): the
        rows due are taken with ``SKIP LOCKED``, so another process billing at the same time (a
        second worker, the wizard) takes others; a row is written only by the transaction holding
        it, and nothing shared is written per batch. Odoo runs a scheduled action in one worker at
        a time; what is left when the job's time is up is billed when the scheduler runs it again
        (at once: it reports what remains), and clients held by another transaction are tried again
        a quarter of an hour later (``_trigger``), and at every later run of the month.
        """
        today = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        Cron = self.env["ir.cron"]
        Schedule = self.env["agency.billing.schedule"].sudo()  # the scheduler's own bookkeeping
        Schedule._with_fresh_snapshot(lambda: Schedule._close_past_periods(today))
        companies = self.env["res.company"].search([]) if self.env.su else self.env.user.company_ids
        for company in companies:
            Schedule._with_fresh_snapshot(lambda company=company: Schedule._sync_period(company, today))
        tried = set()  # by this run: each row once
        retry_soon = time_up = False
        for company in companies:
            if time_up or not Schedule._count_due(company, today, tried):
                continue
            run = Schedule._with_fresh_snapshot(lambda company=company: self.with_company(company)._get_cron_run(today))
            while schedules := Schedule._with_fresh_snapshot(
                lambda company=company: Schedule._claim_due(company, today, tried, BATCH_SIZE // 2)
            ):
                tried.update(schedules.ids)
                plans = run._bill_scheduled(schedules, today)
                retry_soon |= any(plan.reason == "locked" for plan in plans)
                # what is left that was not tried today at all: the scheduler runs the job again for it
                remaining = Schedule._count_due(companies, today, tried, untried_today=True)
                if Cron._commit_progress(len(schedules), remaining=remaining) <= 0:
                    time_up = True
                    break
        if retry_soon:
            cron = self.env.ref("agency_billing.ir_cron_agency_billing_run", raise_if_not_found=False)
            if cron:  # on the scheduler's clock (the database's)
                cron.sudo()._trigger(self.env.cr.now() + timedelta(minutes=RETRY_LOCKED_MINUTES))

    def _bill_scheduled(self, schedules, today):
        """Bill the clients of these schedule rows (held by this transaction), each invoice dated on
        the client's billing day, or on the day it is really billed when that is later (a retry, or a
        run that did not happen on the day): never before the day the invoice is made. The run
        shows each client's latest attempt; the rows keep the count and the reason."""
        self.ensure_one()
        partners = schedules.partner_id.with_env(self.env)
        dates = {
            schedule.partner_id.id: max(schedule._billing_date_of(schedule.partner_id, schedule.period), today)
            for schedule in schedules
        }
        self.env["agency.billing.run.line"].search(
            [("run_id", "=", self.id), ("partner_id", "in", partners.ids), ("state", "!=", "billed")]
        ).unlink()
        billable = partners.filtered_domain(self._get_billable_partner_domain())
        plans = self._bill_partners(billable, dates=dates) if billable else []
        schedules._record_attempt(self, plans, today)
        return plans

    @api.model
    def _close_past_cron_runs(self, today):
        """A scheduled run is done once its month is over."""
        past = self.search([("trigger", "=", "cron"), ("state", "=", "in_progress"), ("period_end", "<", today)])
        past.state = "done"

    def _get_cron_run(self, today):
        """The month's scheduled run of the company (one: a unique index)."""
        period = today.strftime("%Y-%m")
        run = self.search(
            [("trigger", "=", "cron"), ("period", "=", period), ("company_id", "=", self.env.company.id)], limit=1
        )
        return run or self.create(
            {"trigger": "cron", "date": today, "company_id": self.env.company.id, "state": "in_progress"}
        )
