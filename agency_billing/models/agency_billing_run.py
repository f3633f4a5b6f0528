import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import date_utils, float_is_zero, split_every

_logger = logging.getLogger(__name__)

BATCH_SIZE = 50


class AgencyBillingRun(models.Model):
    """One billing run: what was (or will be) billed for a period, client by client.

    The run is its own history: who ran it, when, what it billed and what it left out, and why.
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
        [("draft", "Draft"), ("previewed", "Previewed"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
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
    billed_at = fields.Datetime(readonly=True)

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

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_preview(self):
        """Show, client by client, what the run will bill, its total, the change versus the last
        period and why anything is left out. Nothing is created but the preview lines."""
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("This billing run is done: start a new one to bill again."))
            run.line_ids.unlink()
            partners = run._get_partners_to_bill()
            vals_list = []
            for partner_ids in split_every(BATCH_SIZE, partners.ids):
                batch = self.env["res.partner"].browse(partner_ids)
                for plan in run._plan_partners(batch):
                    vals_list.append(run._plan_to_line_vals(plan))
            self.env["agency.billing.run.line"].create(vals_list)
            run.state = "previewed"
        return True

    def action_bill(self):
        """Bill every client of the run (previewing first when needed). Exactly once: a client
        already billed for the period, or being billed by another run, is not billed again."""
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("This billing run is done: start a new one to bill again."))
            partners = run._get_partners_to_bill()
            run.line_ids.filtered(lambda line: line.state != "billed").unlink()
            for partner_ids in split_every(BATCH_SIZE, partners.ids):
                run._bill_partners(self.env["res.partner"].browse(partner_ids))
            run.write({"state": "done", "billed_at": fields.Datetime.now()})
        return True

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
        """Bill each client on its billing day, in batches, committing progress.

        A client is due when its billing day has come this month and no scheduled run of the period
        has handled it yet; several cron workers share the work client by client (row locks).
        """
        today = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        Cron = self.env["ir.cron"]
        companies = self.env["res.company"].search([]) if self.env.su else self.env.user.company_ids
        for company in companies:
            run = self.with_company(company)._get_cron_run(today)
            due = run._get_due_partners(today)
            done = 0
            for partner_ids in split_every(BATCH_SIZE // 2, due.ids):
                run._bill_partners(self.env["res.partner"].browse(partner_ids))
                done += len(partner_ids)
                if Cron._commit_progress(len(partner_ids), remaining=len(due) - done) <= 0:
                    return
            if not run.line_ids:
                run.sudo().unlink()  # nobody was due: keep the history free of empty runs

    def _get_cron_run(self, today):
        period = today.strftime("%Y-%m")
        run = self.search(
            [("trigger", "=", "cron"), ("period", "=", period), ("company_id", "=", self.env.company.id)], limit=1
        )
        return run or self.create(
            {"trigger": "cron", "date": today, "company_id": self.env.company.id, "state": "previewed"}
        )

    def _get_due_partners(self, today):
        self.ensure_one()
        handled = self.env["agency.billing.run.line"].search(
            [
                ("run_id.period", "=", self.period),
                ("run_id.company_id", "=", self.company_id.id),
                "|",
                ("state", "=", "billed"),
                ("run_id.trigger", "=", "cron"),
            ]
        )
        domain = self._get_billable_partner_domain() & Domain(
            [("agency_billing_day", "<=", today.day), ("id", "not in", handled.partner_id.ids)]
        )
        return self.env["res.partner"].search(domain, order="id")

    # ------------------------------------------------------------------
    # BUSINESS: who, what and how much
    # ------------------------------------------------------------------

    @api.model
    def _get_billable_partner_domain(self):
        return Domain(
            [
                ("agency_billing_policy", "!=", False),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ]
        )

    def _get_partners_to_bill(self):
        self.ensure_one()
        if self.partner_ids:
            return self.partner_ids.commercial_partner_id
        return self.env["res.partner"].search(self._get_billable_partner_domain(), order="id")

    def _billing_key(self, partner, currency, group):
        self.ensure_one()
        return f"{partner.id}:{self.company_id.id}:{currency.id}:{group}:{self.period}"

    def _get_sale_lines(self, partners):
        """Confirmed order lines of these clients (all contacts, brands and departments) in the run's company."""
        return self.env["sale.order.line"].search(
            [
                ("order_id.state", "=", "sale"),
                ("company_id", "=", self.company_id.id),
                ("order_id.partner_id.commercial_partner_id", "in", partners.ids),
                ("display_type", "=", False),
            ],
            order="order_id, sequence, id",
        )

    def _qty_to_bill(self, line, policy):
        """The quantity of a sale line this run bills, under the client's policy."""
        precision = self.env["decimal.precision"].precision_get("Product Unit")
        if line.is_downpayment:
            return 0.0  # deducted once the order is billed in full, see _plan_group
        if line.agency_is_retainer:
            remaining = line.product_uom_qty - line.qty_invoiced
            return min(1.0, remaining) if remaining > 0 else 0.0
        if policy == "milestone" and line.qty_delivered_method != "milestones" and not line.agency_out_of_scope:
            return 0.0  # milestone clients pay the milestones reached (and approved change orders), nothing else
        if policy == "project_end":
            project = line._agency_project()
            if project and not self._is_project_ended(project):
                return 0.0
        qty = line.qty_to_invoice
        return qty if qty > 0 and not float_is_zero(qty, precision_digits=precision) else 0.0

    @api.model
    def _is_project_ended(self, project):
        return project.last_update_status == "done" or bool(project.sudo().stage_id.fold)

    def _group_key(self, partner, order):
        """Which invoice of the client an order goes on."""
        parts = []
        if partner.agency_consolidation == "order":
            parts.append(f"so{order.id}")
        elif partner.agency_consolidation == "invoice_address":
            parts.append(f"addr{order.partner_invoice_id.id}")
        if partner.agency_po_per_invoice:
            parts.append(f"po{(order.client_order_ref or '').strip()}")
        return "/".join(parts) or "all"

    def _plan_partners(self, partners):
        """Plan the billing of ``partners``: a list of plans, one per future invoice or per reason
        for leaving something out. A plan is a dict (see ``_plan_to_line_vals``)."""
        self.ensure_one()
        sale_lines = self._get_sale_lines(partners)
        sale_lines.order_id.fetch(["order_line"])  # one query for the whole batch, not one per client
        lines_by_partner = sale_lines.grouped(lambda line: line.order_id.partner_id.commercial_partner_id)
        previous = self._get_previous_amounts(partners)
        plans = []
        for partner in partners:
            try:
                plans.extend(self._plan_partner(partner, lines_by_partner.get(partner), previous))
            except Exception as error:  # one client's broken data must not stop the run
                _logger.exception("Billing run %s: planning client %s failed", self.id, partner.id)
                plans.append(self._skip_plan(partner, "error", str(error), state="failed"))
        return plans

    def _skip_plan(self, partner, reason, message="", state="skipped", **extra):
        return {"partner": partner, "state": state, "reason": reason, "message": message, **extra}

    def _plan_partner(self, partner, sale_lines, previous):
        policy = partner.agency_billing_policy
        if partner.agency_on_hold:
            return [self._skip_plan(partner, "on_hold", self.env._("Billing is on hold for this client."))]
        if partner.agency_pilot_end_date and partner.agency_pilot_end_date >= self.date:
            return [
                self._skip_plan(
                    partner,
                    "pilot",
                    self.env._("Free pilot until %(date)s.", date=partner.agency_pilot_end_date),
                )
            ]
        plans = []
        groups = defaultdict(list)
        missing_po = self.env["sale.order"]
        for line in sale_lines or []:
            qty = self._qty_to_bill(line, policy)
            if not qty and not line.is_downpayment:
                continue
            order = line.order_id
            if partner.agency_po_required and not (order.client_order_ref or "").strip():
                if qty:
                    missing_po |= order
                continue
            groups[(order.currency_id, self._group_key(partner, order))].append((line, qty))
        if missing_po:
            plans.append(
                self._skip_plan(
                    partner,
                    "po_missing",
                    self.env._(
                        "No purchase order number on %(orders)s: add the client's PO to bill it.",
                        orders=", ".join(missing_po.mapped("name")),
                    ),
                    sale_lines=self.env["sale.order.line"].browse(
                        [line.id for line in sale_lines if line.order_id in missing_po]
                    ),
                )
            )
        if policy == "deposit":
            plans.extend(self._plan_deposits(partner, sale_lines, missing_po))
        for (currency, group), items in groups.items():
            plan = self._plan_group(partner, currency, group, items)
            if plan:
                plan["previous_amount"] = previous.get(partner.id, 0.0)
                plans.append(plan)
        if not plans:
            if self._is_billed_this_period(partner):
                plans.append(self._skip_plan(partner, "already_billed", self.env._("Already billed for this period.")))
            else:
                plans.append(self._skip_plan(partner, "nothing_to_bill", self.env._("Nothing to bill this period.")))
        return plans

    def _is_billed_this_period(self, partner):
        """Whether the client has an invoice of the billing run for this company and period."""
        return bool(
            self.env["account.move"].search_count(
                [
                    ("agency_billing_key", "=like", f"{partner.id}:{self.company_id.id}:%:{self.period}"),
                    ("state", "!=", "cancel"),
                ],
                limit=1,
            )
        )

    def _plan_deposits(self, partner, sale_lines, missing_po):
        """Deposit at signing: orders of a deposit client not invoiced at all yet, and without a
        down payment, get a deposit invoice of the client's percentage (Odoo's down payment)."""
        plans = []
        orders = self.env["sale.order"].union(*(line.order_id for line in sale_lines or []))
        for order in orders - missing_po:
            if any(line.is_downpayment for line in order.order_line) or order.invoice_ids:
                continue
            key = f"{partner.id}:{self.company_id.id}:deposit:so{order.id}"
            amount = order.currency_id.round(order.amount_untaxed * partner.agency_deposit_percent / 100)
            plan = {
                "partner": partner,
                "state": "to_bill",
                "reason": False,
                "message": self.env._(
                    "Deposit of %(percent)s %% on %(order)s", percent=partner.agency_deposit_percent, order=order.name
                ),
                "currency": order.currency_id,
                "key": key,
                "orders": order,
                "deposit_order": order,
                "sale_lines": order.order_line,
                "amount": amount,
            }
            if self.env["account.move"].search_count(
                [("agency_billing_key", "=", key), ("state", "!=", "cancel")], limit=1
            ):
                plan.update(state="skipped", reason="already_billed", message=self.env._("Deposit already invoiced."))
            plans.append(plan)
        return plans

    def _plan_group(self, partner, currency, group, items):
        """One invoice: the lines and their quantities; down payments deducted when the orders
        are billed in full."""
        items = [(line, qty) for line, qty in items if qty]
        if not items:
            return None
        orders = self.env["sale.order"].union(*(line.order_id for line, _qty in items))
        billed_now = {line.id: qty for line, qty in items}
        for order in orders:
            regular = order.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment)
            final = all(line.qty_invoiced + billed_now.get(line.id, 0.0) >= line.product_uom_qty for line in regular)
            if final:
                for line in order.order_line.filtered(lambda line: line.is_downpayment and line.qty_to_invoice < 0):
                    items.append((line, line.qty_to_invoice))
        amount = currency.round(sum(qty * line.price_reduce_taxexcl for line, qty in items))
        key = self._billing_key(partner, currency, group)
        plan = {
            "partner": partner,
            "state": "to_bill",
            "reason": False,
            "message": "",
            "currency": currency,
            "group": group,
            "key": key,
            "items": items,
            "orders": orders,
            "amount": amount,
        }
        if self.env["account.move"].search_count(
            [("agency_billing_key", "=", key), ("state", "!=", "cancel")], limit=1
        ):
            plan.update(state="skipped", reason="already_billed", message=self.env._("Already billed for this period."))
        elif self._exceeds_credit_limit(partner, amount):
            plan.update(
                state="skipped",
                reason="credit_limit",
                message=self.env._(
                    "Credit limit of %(limit)s exceeded: %(owed)s owed already.",
                    limit=partner.credit_limit,
                    owed=partner.credit,
                ),
            )
        return plan

    def _exceeds_credit_limit(self, partner, amount):
        company = self.company_id
        partner = partner.with_company(company)
        limit = partner.credit_limit
        if not company.account_use_credit_limit or not limit:
            return False
        return partner.credit + amount > limit

    def _get_previous_amounts(self, partners):
        """What each client was billed in the last period it was billed before this one."""
        Line = self.env["agency.billing.run.line"]
        groups = Line._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "billed"),
                ("run_id.company_id", "=", self.company_id.id),
                ("run_id.period", "<", self.period),
            ],
            ["partner_id", "run_period"],
            ["amount:sum"],
            order="run_period desc",
        )
        previous = {}
        for partner, _period, amount in groups:
            previous.setdefault(partner.id, amount)
        return previous

    def _plan_to_line_vals(self, plan):
        items = plan.get("items") or []
        sale_lines = plan.get("sale_lines") or self.env["sale.order.line"].union(*(line for line, _qty in items))
        return {
            "run_id": self.id,
            "partner_id": plan["partner"].id,
            "state": plan["state"],
            "reason": plan["reason"],
            "message": plan["message"],
            "key": plan.get("key"),
            "currency_id": (plan.get("currency") or self.company_id.currency_id).id,
            "amount": plan.get("amount", 0.0),
            "previous_amount": plan.get("previous_amount", 0.0),
            "po_refs": ", ".join(sorted({o.client_order_ref for o in plan.get("orders", []) if o.client_order_ref})),
            "sale_line_ids": [Command.set(sale_lines.ids)],
            "invoice_id": plan.get("invoice_id", False),
        }

    # ------------------------------------------------------------------
    # BUSINESS: billing
    # ------------------------------------------------------------------

    def _bill_partners(self, partners):
        """Bill a batch of clients: one invoice per plan, created together, exactly once.

        Clients being billed by another worker are skipped (row lock, SKIP LOCKED); a plan whose
        key already has an invoice is skipped; when the batch fails, each invoice is retried alone
        so that one client's broken data fails alone, with its reason recorded.
        """
        self.ensure_one()
        partners = partners.commercial_partner_id
        locked = partners.try_lock_for_update(allow_referencing=True)  # others may still use the client
        plans = [
            self._skip_plan(partner, "locked", self.env._("Being billed by another run at this moment."))
            for partner in partners - locked
        ]
        plans += self._plan_partners(locked)
        for plan in [plan for plan in plans if plan["state"] == "to_bill" and plan.get("deposit_order")]:
            self._bill_deposit(plan)
        to_bill = [plan for plan in plans if plan["state"] == "to_bill"]
        analytic_models = self._has_analytic_models()
        prototypes = {}  # Odoo's values for lines of the same kind, shared by the batch's invoices
        for plan in to_bill:
            plan.update(analytic_models=analytic_models, prototypes=prototypes)
            try:
                plan["invoice_vals"] = self._prepare_invoice_vals(plan)
            except Exception as error:
                _logger.exception("Billing run %s: preparing the invoice of %s failed", self.id, plan["partner"].id)
                plan.update(state="failed", reason="error", message=str(error))
        to_bill = [plan for plan in to_bill if plan["state"] == "to_bill"]
        Move = self._invoice_creation_env()
        try:
            with self.env.cr.savepoint():
                moves = Move.create([plan["invoice_vals"] for plan in to_bill]).with_env(self.env)
                self._log_invoices_created(moves)
                self._after_invoices_created(moves)
            for plan, move in zip(to_bill, moves, strict=True):
                plan.update(state="billed", invoice_id=move.id)
        except Exception:  # retry one by one to isolate the broken client
            _logger.info("Billing run %s: batch failed, billing its clients one by one", self.id)
            for plan in to_bill:
                self._bill_one(plan, Move)
        self.env["agency.billing.run.line"].create([self._plan_to_line_vals(plan) for plan in plans])

    def _bill_one(self, plan, Move):
        try:
            with self.env.cr.savepoint():
                move = Move.create([plan["invoice_vals"]]).with_env(self.env)
                self._log_invoices_created(move)
                self._after_invoices_created(move)
            plan.update(state="billed", invoice_id=move.id)
        except pg_errors.UniqueViolation:
            plan.update(state="skipped", reason="already_billed", message=self.env._("Already billed for this period."))
        except Exception as error:
            _logger.warning("Billing run %s: client %s failed: %s", self.id, plan["partner"].id, error)
            plan.update(state="failed", reason="error", message=str(error))

    def _bill_deposit(self, plan):
        """The deposit invoice, made by Odoo's own down payment wizard so that the order deducts
        it from the balance."""
        order = plan["deposit_order"]
        try:
            with self.env.cr.savepoint():
                wizard = (
                    self.env["sale.advance.payment.inv"]
                    .with_context(active_model="sale.order", active_ids=order.ids)
                    .create(
                        {
                            "advance_payment_method": "percentage",
                            "amount": plan["partner"].agency_deposit_percent,
                            "sale_order_ids": [Command.set(order.ids)],
                        }
                    )
                )
                invoice = wizard._create_invoices(order)
                invoice.write({"agency_billing_key": plan["key"], "invoice_date": self.date})
                self._after_invoices_created(invoice)
            plan.update(state="billed", invoice_id=invoice.id, amount=invoice.amount_untaxed)
        except pg_errors.UniqueViolation:
            plan.update(state="skipped", reason="already_billed", message=self.env._("Deposit already invoiced."))
        except Exception as error:
            _logger.warning("Billing run %s: deposit of %s failed: %s", self.id, order.name, error)
            plan.update(state="failed", reason="error", message=str(error))

    def _invoice_creation_env(self):
        """``account.move`` as the run creates invoices with it.

        ``mail_notrack``: at creation the chatter gathers the old values of every tracked field it
        computes, then discards them: Odoo tracks nothing of a record in the transaction that
        creates it (``_track_discard``). ``mail_create_nolog``: instead of Odoo's "Invoice Created"
        message, posted invoice by invoice to a hidden subtype nobody follows, the run logs its own
        note on all of them at once (``_log_invoices_created``). The invoices are handed on in the
        run's own environment, so that nothing done with them later inherits this context.
        """
        return self.env["account.move"].with_context(
            default_move_type="out_invoice", mail_notrack=True, mail_create_nolog=True
        )

    def _log_invoices_created(self, moves):
        """The creation note of the run's invoices, in their chatter, written in one batch: which
        billing run created them (internal: the client does not see it)."""
        body = Markup("<p>%s</p>") % self.env._("Invoice created by the billing run %s.", self._get_html_link())
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))

    def _after_invoices_created(self, moves):
        """Hook: post the invoices when the company wants it."""
        if self.company_id.agency_billing_auto_post and moves:
            moves.action_post()

    def _prepare_invoice_vals(self, plan):
        """One invoice for a plan: a section per project (with its PO), the agreed scope first and
        out-of-scope work in its own subsection, deposits deducted at the end."""
        partner = plan["partner"]
        orders = plan["orders"]
        first = orders[:1]
        vals = first._prepare_invoice()
        if partner.agency_consolidation == "entity" and len(orders.partner_invoice_id) > 1:
            vals["partner_id"] = partner.address_get(["invoice"])["invoice"]
        pos = sorted({order.client_order_ref for order in orders if order.client_order_ref})
        vals.update(
            {
                "invoice_date": self.date,
                "ref": ", ".join(pos) or False,
                "invoice_origin": ", ".join(orders.mapped("name")),
                "invoice_payment_term_id": partner.with_company(self.company_id).property_payment_term_id.id
                or vals.get("invoice_payment_term_id"),
                "agency_billing_key": plan["key"],
                "invoice_line_ids": self._prepare_invoice_lines(plan["items"]),
                **({"journal_id": journal.id} if (journal := self.company_id.agency_billing_journal_id) else {}),
            }
        )
        if not plan.get("analytic_models", True):
            self._set_line_analytics(vals)
        if self._set_line_amounts(vals):
            self._set_line_precomputed(vals, plan.setdefault("prototypes", {}))
        return vals

    def _has_analytic_models(self):
        """Whether analytic distribution models may apply to the run's invoice lines."""
        return bool(
            self.env["account.analytic.distribution.model"].search_count(
                [("company_id", "in", [self.company_id.id, False])], limit=1
            )
        )

    def _set_line_analytics(self, vals):
        """Without analytic distribution models, give the invoice lines the distribution Odoo would
        compute for them (their order line's) instead of letting Odoo look for models line by line."""
        SaleLine = self.env["sale.order.line"]
        for command in vals.get("invoice_line_ids", []):
            line_vals = command[2]
            if command[0] != Command.CREATE or line_vals.get("display_type", "product") != "product":
                continue
            if "analytic_distribution" not in line_vals:
                sale_line_ids = [link[1] for link in line_vals.get("sale_line_ids", []) if link[0] == Command.LINK]
                line_vals["analytic_distribution"] = SaleLine.browse(sale_line_ids[:1]).analytic_distribution or False

    def _set_line_amounts(self, vals):
        """Give the invoice lines their amounts as Odoo's tax engine computes them on the invoice.

        Odoo creates invoice lines at zero and then writes each of them again with its amounts and
        tax tags (the tax sync of ``account.move``), which is most of the cost of billing many lines.
        With the amounts already right, that sync finds nothing to write. All or nothing: only
        customer invoices in the company's currency without cash basis taxes, every line computed by
        ``account.tax``'s own helpers; Odoo still computes the tax lines and checks the base lines.
        """
        company = self.company_id
        currency = self.env["res.currency"].browse(vals.get("currency_id"))
        if vals.get("move_type", "out_invoice") != "out_invoice" or currency != company.currency_id:
            return False
        lines_vals = [command[2] for command in vals.get("invoice_line_ids", []) if command[0] == Command.CREATE]
        product_vals = [line_vals for line_vals in lines_vals if line_vals.get("display_type", "product") == "product"]
        AccountTax = self.env["account.tax"]
        # one prefetch for the products and taxes of all the lines, not a query per line
        product_ids = {line_vals.get("product_id") for line_vals in product_vals} - {None, False}
        products = self.env["product.product"].browse(product_ids)
        product_by_id = {product.id: product for product in products}
        tax_ids_by_line = [self._command_ids(line_vals.get("tax_ids") or []) for line_vals in product_vals]
        if None in tax_ids_by_line:
            return False
        all_taxes = AccountTax.browse({tax_id for tax_ids in tax_ids_by_line for tax_id in tax_ids})
        tax_by_id = {tax.id: tax for tax in all_taxes}
        base_lines = []
        for line_vals, tax_ids in zip(product_vals, tax_ids_by_line, strict=True):
            taxes = AccountTax.union(*(tax_by_id[tax_id] for tax_id in tax_ids))
            if any(tax.tax_exigibility == "on_payment" for tax in taxes.flatten_taxes_hierarchy()):
                return False
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    product_id=product_by_id.get(line_vals.get("product_id"), products.browse()),
                    tax_ids=taxes,
                    price_unit=line_vals.get("price_unit", 0.0),
                    quantity=line_vals.get("quantity", 0.0),
                    discount=line_vals.get("discount", 0.0),
                    currency_id=currency,
                    rate=1.0,
                    sign=-1,
                    is_refund=False,
                    extra_tax_data=line_vals.get("extra_tax_data"),
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        for line_vals, base_line in zip(product_vals, base_lines, strict=True):
            details = base_line["tax_details"]
            amount = details["total_excluded_currency"] + details["delta_total_excluded_currency"]
            balance = details["total_excluded"] + details["delta_total_excluded"]
            line_vals.update(
                {
                    "amount_currency": -currency.round(amount),
                    "balance": -company.currency_id.round(balance),
                    "tax_tag_ids": [Command.set(base_line["tax_tag_ids"].ids)],
                }
            )
        for line_vals in lines_vals:
            if line_vals.get("display_type") in ("line_section", "line_subsection", "line_note"):
                line_vals.update({"amount_currency": 0.0, "balance": 0.0})  # or Odoo writes it again
        return True

    # what an invoice line itself determines; the other values Odoo precomputes depend only on the
    # invoice (company, journal, fiscal position, currency) and on the line's product or section type
    _LINE_AMOUNTS = ("balance", "amount_currency", "debit", "credit")  # see _set_line_amounts
    _LINE_OWN_VALUES = {
        "product": ("display_type", "name", "product_id", "product_uom_id", "quantity", "price_unit", "tax_ids"),
        "line_section": ("display_type", "name"),
        "line_subsection": ("display_type", "name"),
    }

    def _set_line_precomputed(self, vals, prototypes):
        """Give the invoice lines the values that Odoo precomputes for them (account, currency,
        partner, ...), as Odoo computes them, so that creating the invoices does not compute them
        line by line again.

        They are read from Odoo's own computes on a prototype line per product and per section type
        on a draft invoice of the same company, journal, fiscal position and currency, made once for
        all the invoices of a batch (``prototypes``); the partner is the invoice's commercial entity.
        Odoo recomputes the read-only ones (journal, company) itself.
        """
        if self.company_id.account_storno:
            return
        lines_vals = []
        for command in vals.get("invoice_line_ids", []):
            line_vals = command[2]
            kind = line_vals.get("display_type", "product")
            own = self._LINE_OWN_VALUES.get(kind, ())
            if command[0] != Command.CREATE or not own or any(line_vals.get(fname) is None for fname in own):
                continue
            if kind == "product" and not line_vals["product_id"]:
                continue  # no product: Odoo looks for the account in the client's history
            lines_vals.append((line_vals, line_vals["product_id"] if kind == "product" else kind))
        key = (vals.get("journal_id"), vals.get("fiscal_position_id"), vals.get("currency_id"))
        missing = list(dict.fromkeys(kind for _vals, kind in lines_vals if (key, kind) not in prototypes))
        if missing:
            fnames = [
                fname
                for fname, field in self.env["account.move.line"]._fields.items()
                if field.precompute and not field.readonly and fname not in self._LINE_AMOUNTS
            ]
            prototype = self.env["account.move"].new(
                {
                    "move_type": "out_invoice",
                    "company_id": self.company_id.id,
                    "currency_id": vals.get("currency_id"),
                    "fiscal_position_id": vals.get("fiscal_position_id"),
                    **({"journal_id": vals["journal_id"]} if vals.get("journal_id") else {}),
                    "invoice_line_ids": [
                        Command.create(
                            {"display_type": "product", "product_id": kind, "sequence": index}
                            if isinstance(kind, int)
                            else {"display_type": kind, "name": kind, "sequence": index}
                        )
                        for index, kind in enumerate(missing)
                    ],
                }
            )
            for line in prototype.invoice_line_ids:
                prototypes[key, missing[line.sequence]] = {
                    fname: line._fields[fname].convert_to_write(line[fname], line) for fname in fnames
                }
        partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        for line_vals, kind in lines_vals:
            for fname, value in prototypes[key, kind].items():
                line_vals.setdefault(fname, partner.id if fname == "partner_id" else value)

    @api.model
    def _command_ids(self, commands):
        """The ids set by x2many commands made of SET and LINK only, else None."""
        ids = []
        for command in commands:
            if command[0] == Command.SET:
                ids = list(command[2])
            elif command[0] == Command.LINK:
                ids.append(command[1])
            else:
                return None
        return ids

    def _prepare_invoice_lines(self, items):
        by_project = defaultdict(list)
        deposits = []
        for line, qty in items:
            if line.is_downpayment:
                deposits.append((line, qty))
            else:
                by_project[line._agency_project()].append((line, qty))
        commands = []
        sequence = 0

        def add(values):
            nonlocal sequence
            sequence += 1
            commands.append(Command.create({**values, "sequence": sequence}))

        for project in sorted(by_project, key=lambda project: (not project, project.name or "")):
            project_items = by_project[project]
            pos = sorted(
                {line.order_id.client_order_ref for line, _qty in project_items if line.order_id.client_order_ref}
            )
            title = project.name if project else self.env._("Other work")
            if pos:
                title = self.env._("%(project)s (PO %(po)s)", project=title, po=", ".join(pos))
            add({"display_type": "line_section", "name": title})
            in_scope = [item for item in project_items if not item[0].agency_out_of_scope]
            out_of_scope = [item for item in project_items if item[0].agency_out_of_scope]
            for line, qty in in_scope:
                add(self._prepare_invoice_line(line, qty, project))
            if out_of_scope:
                add({"display_type": "line_subsection", "name": self.env._("Out of scope")})
                for line, qty in out_of_scope:
                    add(self._prepare_invoice_line(line, qty, project))
        if deposits:
            add({"display_type": "line_section", "name": self.env._("Deposits already invoiced")})
            for line, qty in deposits:
                add(self._prepare_invoice_line(line, qty, False))
        return commands

    def _prepare_invoice_line(self, line, qty, project):
        values = line._prepare_invoice_line(quantity=qty)
        values.pop("sequence", None)
        if not values.get("analytic_distribution") and project and project.account_id:
            values["analytic_distribution"] = {str(project.account_id.id): 100}
        return values
