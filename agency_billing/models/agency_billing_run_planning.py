import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Command, Domain
from odoo.tools import date_utils, float_is_zero, format_amount, format_date, formatLang

from .agency_billing_plan import BillingPlan

_logger = logging.getLogger(__name__)


class AgencyBillingRun(models.Model):
    """Planning: who is billed, what and how much, and why anything is left out."""

    _inherit = "agency.billing.run"

    # ------------------------------------------------------------------
    # WHO
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

    # ------------------------------------------------------------------
    # BILLING KEYS: an invoice per key, exactly once
    # ------------------------------------------------------------------

    def _billing_key(self, partner, *parts):
        """The billing key of an invoice of ``partner`` by this run's company: ``client:company:parts``.

        A period's invoice: ``(currency id, group, period)``; a deposit: ``("deposit", "so<order id>")``.
        A unique index on ``account.move.agency_billing_key`` makes each key billed once.
        """
        self.ensure_one()
        return ":".join(str(part) for part in (partner.id, self.company_id.id, *parts))

    def _period_key(self, partner, currency, group):
        return self._billing_key(partner, currency.id, group, self.period)

    def _is_billed(self, key, pattern=False):
        """Whether an invoice (not cancelled) has this billing key, or a key matching this ``=like``
        pattern (``%`` for any part)."""
        return bool(
            self.env["account.move"].search_count(
                [("agency_billing_key", "=like" if pattern else "=", key), ("state", "!=", "cancel")], limit=1
            )
        )

    def _is_billed_this_period(self, partner):
        """Whether the client has an invoice of the billing run for this company and period."""
        return self._is_billed(self._billing_key(partner, "%", self.period), pattern=True)

    # ------------------------------------------------------------------
    # WHAT: the quantity of each order line, one method per billing policy
    # ------------------------------------------------------------------

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
        """The quantity of a sale line this run bills, under the client's policy.

        Whatever the policy, a down payment is deducted when its order is billed in full (see
        ``_plan_group``) and a retainer line bills one unit a period; the other lines are billed
        as the policy says: ``_agency_qty_to_bill_<policy>`` (time and materials without one).
        """
        if line.is_downpayment:
            return 0.0
        if line.agency_is_retainer:
            remaining = line.product_uom_qty - line.qty_invoiced
            return min(1.0, remaining) if remaining > 0 else 0.0
        qty = getattr(self, f"_agency_qty_to_bill_{policy or 'time_materials'}")(line)
        precision = self.env["decimal.precision"].precision_get("Product Unit")
        return qty if qty > 0 and not float_is_zero(qty, precision_digits=precision) else 0.0

    def _agency_qty_to_bill_time_materials(self, line):
        """What is delivered and not invoiced yet (timesheets included with ``sale_timesheet``)."""
        return line.qty_to_invoice

    def _agency_qty_to_bill_retainer(self, line):
        """Retainer lines bill a unit a period; other work is billed as it is delivered."""
        return line.qty_to_invoice

    def _agency_qty_to_bill_installment(self, line):
        """Billed as delivered; the installments come from the client's multi-line payment terms."""
        return line.qty_to_invoice

    def _agency_qty_to_bill_deposit(self, line):
        """The balance, as delivered; the deposit itself is planned by ``_plan_deposits``."""
        return line.qty_to_invoice

    def _agency_qty_to_bill_milestone(self, line):
        """The milestones reached and approved change orders (out of scope), nothing else."""
        if line.qty_delivered_method != "milestones" and not line.agency_out_of_scope:
            return 0.0
        return line.qty_to_invoice

    def _agency_qty_to_bill_project_end(self, line):
        """Nothing before the project has ended."""
        project = line._agency_project()
        if project and not self._is_project_ended(project):
            return 0.0
        return line.qty_to_invoice

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

    # ------------------------------------------------------------------
    # PLANS: one per future invoice, or per reason to leave something out
    # ------------------------------------------------------------------

    def _plan_partners(self, partners, dates=None):
        """Plan the billing of ``partners``: a list of ``BillingPlan``. ``dates``: the invoice date of
        each client (partner id), else the run's date."""
        self.ensure_one()
        sale_lines = self._get_sale_lines(partners)
        sale_lines.order_id.fetch(["order_line"])  # one query for the whole batch, not one per client
        lines_by_partner = sale_lines.grouped(lambda line: line.order_id.partner_id.commercial_partner_id)
        previous = self._get_previous_amounts(partners)
        plans = []
        for partner in partners:
            date = (dates or {}).get(partner.id) or self.date
            try:
                partner_plans = self._plan_partner(partner, lines_by_partner.get(partner), previous, date)
            except Exception as error:  # one client's broken data must not stop the run
                _logger.exception("Billing run %s: planning client %s failed", self.id, partner.id)
                partner_plans = [BillingPlan(partner).fail(str(error))]
            lock_message = self._posting_lock_message(date)
            for plan in partner_plans:
                plan.date = date
                if plan.to_bill and lock_message:
                    plan.skip("lock_date", lock_message)
            plans.extend(partner_plans)
        return plans

    def _posting_lock_message(self, date):
        """Why an invoice dated ``date`` cannot be posted now, when the company posts the run's
        invoices at once: a lock date (fiscal year, sales, tax or hard) on or after both the invoice
        date and today. Before today, Odoo accounts it on the first open day (``_post``)."""
        if not self.company_id.agency_billing_auto_post:
            return False
        locks = self.company_id._get_lock_date_violations(date, fiscalyear=True, sale=True, purchase=False)
        if not locks:
            return False
        lock_date = max(lock_date for lock_date, _field in locks)
        if lock_date < fields.Date.context_today(self):
            return False
        return self.env._(
            "An invoice dated %(date)s cannot be posted: %(locks)s. Tried again at the next runs.",
            date=format_date(self.env, date),
            locks=self.env["res.company"]._format_lock_dates(locks),
        )

    def _plan_partner(self, partner, sale_lines, previous, date=None):
        """The plans of one client, its invoices dated ``date`` (the run's date by default)."""
        date = date or self.date
        if partner.agency_on_hold:
            return [BillingPlan(partner).skip("on_hold", self.env._("Billing is on hold for this client."))]
        if partner.agency_pilot_end_date and partner.agency_pilot_end_date >= date:
            message = self.env._(
                "Free pilot until %(date)s.", date=format_date(self.env, partner.agency_pilot_end_date)
            )
            return [BillingPlan(partner).skip("pilot", message)]
        sale_lines = sale_lines or self.env["sale.order.line"]
        plans = []
        groups = defaultdict(list)
        missing_po = self.env["sale.order"]
        for line in sale_lines:
            qty = self._qty_to_bill(line, partner.agency_billing_policy)
            if not qty and not line.is_downpayment:
                continue
            order = line.order_id
            if partner.agency_po_required and not (order.client_order_ref or "").strip():
                if qty:
                    missing_po |= order
                continue
            groups[(order.currency_id, self._group_key(partner, order))].append((line, qty))
        if missing_po:
            message = self.env._(
                "No purchase order number on %(orders)s: add the client's PO to bill it.",
                orders=", ".join(missing_po.mapped("name")),
            )
            plan = BillingPlan(partner, sale_lines=sale_lines.filtered(lambda line: line.order_id in missing_po))
            plans.append(plan.skip("po_missing", message))
        if partner.agency_billing_policy == "deposit":
            plans.extend(self._plan_deposits(partner, sale_lines.order_id - missing_po))
        for (currency, group), items in groups.items():
            plan = self._plan_group(partner, currency, group, items)
            if plan:
                plan.previous_amount = previous.get((partner.id, currency.id), 0.0)
                plans.append(plan)
        if not plans:
            if self._is_billed_this_period(partner):
                plans.append(BillingPlan(partner).skip("already_billed", self._already_billed_message()))
            else:
                plans.append(BillingPlan(partner).skip("nothing_to_bill", self.env._("Nothing to bill this period.")))
        return plans

    def _already_billed_message(self):
        return self.env._("Already billed for this period.")

    def _plan_deposits(self, partner, orders):
        """Deposit at signing: orders of a deposit client not invoiced at all yet, and without a
        down payment, get a deposit invoice of the client's percentage (Odoo's down payment)."""
        plans = []
        for order in orders:
            if any(line.is_downpayment for line in order.order_line) or order.invoice_ids:
                continue
            plan = BillingPlan(
                partner,
                message=self.env._(
                    "Deposit of %(percent)s %% on %(order)s",
                    percent=formatLang(self.env, partner.agency_deposit_percent, digits=self._percent_digits(partner)),
                    order=order.name,
                ),
                currency=order.currency_id,
                key=self._billing_key(partner, "deposit", f"so{order.id}"),
                orders=order,
                deposit_order=order,
                sale_lines=order.order_line,
                amount=order.currency_id.round(order.amount_untaxed * partner.agency_deposit_percent / 100),
            )
            if self._is_billed(plan.key):
                plan.skip("already_billed", self.env._("Deposit already invoiced."))
            plans.append(plan)
        return plans

    @api.model
    def _percent_digits(self, partner):
        """Decimals worth showing of the client's deposit percentage: 30 %, 12.5 %."""
        return 0 if float(partner.agency_deposit_percent).is_integer() else 2

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
        plan = BillingPlan(
            partner,
            currency=currency,
            key=self._period_key(partner, currency, group),
            items=items,
            orders=orders,
            amount=currency.round(sum(qty * line.price_reduce_taxexcl for line, qty in items)),
        )
        if self._is_billed(plan.key):
            plan.skip("already_billed", self._already_billed_message())
        elif self._exceeds_credit_limit(partner, plan.amount):
            message = self.env._(
                "Credit limit of %(limit)s exceeded: %(owed)s owed already.",
                limit=format_amount(self.env, partner.credit_limit, self.company_id.currency_id),
                owed=format_amount(self.env, partner.credit, self.company_id.currency_id),
            )
            plan.skip("credit_limit", message)
        return plan

    def _exceeds_credit_limit(self, partner, amount):
        company = self.company_id
        partner = partner.with_company(company)
        limit = partner.credit_limit
        if not company.account_use_credit_limit or not limit:
            return False
        return partner.credit + amount > limit

    def _get_previous_amounts(self, partners):
        """What each client was billed (untaxed, credit notes deducted) by this run's company in the
        last month it was billed before this period, within a year: its invoices, made by a billing
        run or not. ``{(partner id, currency id): amount}``."""
        period_start = self.period_start or date_utils.start_of(self.date, "month")
        groups = self.env["account.move"]._read_group(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "!=", "cancel"),
                ("company_id", "=", self.company_id.id),
                ("commercial_partner_id", "in", partners.ids),
                ("invoice_date", "<", period_start),
                ("invoice_date", ">=", period_start - relativedelta(years=1)),
            ],
            ["commercial_partner_id", "currency_id", "invoice_date:month"],
            ["amount_untaxed_in_currency_signed:sum"],
            order="invoice_date:month desc",
        )
        previous = {}
        for partner, currency, _month, amount in groups:
            previous.setdefault((partner.id, currency.id), amount)
        return previous

    def _plan_to_line_vals(self, plan):
        """The run line recording a plan."""
        sale_lines = plan.sale_lines or self.env["sale.order.line"].union(*(line for line, _qty in plan.items))
        orders = plan.orders or self.env["sale.order"]
        return {
            "run_id": self.id,
            "partner_id": plan.partner.id,
            "state": plan.state,
            "reason": plan.reason,
            "message": plan.message,
            "key": plan.key,
            "currency_id": (plan.currency or self.company_id.currency_id).id,
            "amount": plan.amount,
            "previous_amount": plan.previous_amount,
            "po_refs": ", ".join(sorted({ref for ref in orders.mapped("client_order_ref") if ref})),
            "sale_line_ids": [Command.set(sale_lines.ids)],
            "invoice_id": plan.invoice.id if plan.invoice else False,
        }
