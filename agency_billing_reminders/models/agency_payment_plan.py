from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

PLAN_STATES = [
    ("proposed", "Waiting for the agency"),
    ("active", "Running"),
    ("kept", "Kept (paid)"),
    ("broken", "Broken (payment missed)"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
# what staff may agree to with a client, whatever its profile offers from the portal
STAFF_MAX_MONTHS = 60
# the states in which a plan holds its invoices: no second plan on them
OPEN_STATES = ("proposed", "active")


class AgencyPaymentPlan(models.Model):
    """A client pays what it owes on some open invoices in monthly payments. The invoices are never changed:
    the plan only says when the money is expected. While it runs, the reminders follow its dates and no late
    fee runs; a payment missed for longer than the grace days breaks it and the invoices' cadence resumes."""

    _name = "agency.payment.plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Payment Plan"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    partner_id = fields.Many2one("res.partner", string="Client", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    invoice_ids = fields.Many2many("account.move", string="Invoices", readonly=True, check_company=True)
    line_ids = fields.One2many("agency.payment.plan.line", "plan_id", string="Payments", readonly=True)
    state = fields.Selection(PLAN_STATES, required=True, readonly=True, default="proposed", index=True, tracking=True)
    origin = fields.Selection([("portal", "Client (portal)"), ("staff", "Staff")], required=True, readonly=True)
    proposed_uid = fields.Many2one("res.users", string="Proposed By", readonly=True)
    decided_uid = fields.Many2one("res.users", string="Decided By", readonly=True, help="Empty: accepted at once.")
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    date_start = fields.Date(string="Made On", readonly=True, required=True)
    break_date = fields.Date(string="Broken On", readonly=True)
    amount_total = fields.Monetary(
        string="Amount Covered", readonly=True, help="What was owed on the invoices when the plan was made."
    )
    grace_days = fields.Integer(readonly=True, help="Days after a payment's date before the plan is broken.")
    fees_from_original = fields.Boolean(
        string="Fees From Original Dates", readonly=True, help="When broken, late fees count from the invoices' dates."
    )
    amount_paid = fields.Monetary(compute="_compute_amounts", string="Paid")
    amount_left = fields.Monetary(compute="_compute_amounts", string="Left To Pay")
    months = fields.Integer(compute="_compute_amounts", string="Number of Payments")
    next_date = fields.Date(compute="_compute_amounts", string="Next Payment")
    next_amount = fields.Monetary(compute="_compute_amounts")
    recipients_csv = fields.Char(compute="_compute_recipients_csv")

    @api.depends("partner_id", "date_start")
    @api.depends_context("lang")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._(
                "Payment plan of %(client)s, %(date)s",
                client=plan.partner_id.name or "",
                date=format_date(self.env, plan.date_start) if plan.date_start else "",
            )

    @api.depends("line_ids.amount", "invoice_ids.amount_residual", "amount_total")
    def _compute_amounts(self):
        progress = self._agency_progress()
        for plan in self:
            values = progress.get(plan.id, {})
            plan.amount_paid = values.get("paid", 0.0)
            plan.amount_left = values.get("left", 0.0)
            plan.months = len(plan.line_ids)
            nxt = values.get("next")
            plan.next_date = nxt.date if nxt else False
            plan.next_amount = values["lines"][nxt.id]["left"] if nxt else 0.0

    @api.depends("partner_id", "invoice_ids")
    def _compute_recipients_csv(self):
        for plan in self:
            recipients = plan.partner_id._agency_reminder_recipients(plan.invoice_ids)
            plan.recipients_csv = ",".join(str(pid) for pid in recipients.ids)

    # ------------------------------------------------------------------
    # BUSINESS: what is paid of a plan (THE method: reminders, portal, statement, receipts, autopay)
    # ------------------------------------------------------------------

    def _agency_progress(self, date=None):
        """What is paid of each plan and of each of its payments on ``date`` (default: today): the amount
        covered at the start minus what is still owed on its invoices, given to the payments in date order
        (a payment counts toward the earliest open one). ``{plan_id: {"paid", "left", "next" (the earliest
        open payment), "lines": {line_id: {"paid", "left", "state"}}}}``, in the plan's currency."""
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        result = {}
        for plan in self.sudo():
            currency = plan.currency_id
            owed = sum(plan.invoice_ids.filtered(lambda move: move.state == "posted").mapped("amount_residual"))
            paid = max(plan.amount_total - owed, 0.0)
            values = {"paid": min(paid, plan.amount_total), "left": 0.0, "next": None, "lines": {}}
            for line in plan.line_ids.sorted(lambda line: (line.date, line.sequence, line.id)):
                line_paid = min(line.amount, paid)
                paid -= line_paid
                left = currency.round(line.amount - line_paid)
                if currency.is_zero(left):
                    state = "paid"
                elif line.date >= date:
                    state = "due"
                elif (date - line.date).days <= plan.grace_days:
                    state = "late"
                else:
                    state = "missed"
                if state != "paid" and values["next"] is None:
                    values["next"] = line
                values["left"] += left
                values["lines"][line.id] = {"paid": line_paid, "left": left, "state": state}
            result[plan.id] = values
        return result

    @api.model
    def _agency_plan_for_moves(self, moves, states=("active",)):
        """THE answer to "which invoices are under a running plan" (reminders, late fees, autopay):
        ``{move_id: plan}`` for those of ``moves`` in a plan of ``states``."""
        if not moves:
            return {}
        plans = self.sudo().search([("state", "in", list(states)), ("invoice_ids", "in", moves.ids)])
        return {move.id: plan for plan in plans for move in plan.invoice_ids if move in moves}

    def _agency_describe(self):
        """Why the invoices' own reminders wait, in the user's words."""
        self.ensure_one()
        nxt = self._agency_progress()[self.id]["next"]
        if not nxt:
            return self.env._("payment plan, paid")
        return self.env._(
            "payment plan: next payment of %(amount)s on %(date)s",
            amount=format_amount(self.env, self._agency_progress()[self.id]["lines"][nxt.id]["left"], self.currency_id),
            date=format_date(self.env, nxt.date),
        )

    # ------------------------------------------------------------------
    # BUSINESS: proposing a plan (the portal and staff's wizard call this one method)
    # ------------------------------------------------------------------

    @api.model
    def _agency_propose(self, invoices, months, *, first_now=None, first_amount=None, origin="portal", preview=False):
        """A plan of ``months`` monthly payments for ``invoices`` (open invoices of one client, company and
        currency). ``first_now``: the first payment is due today (default: the client profile's choice; from
        the portal, always the profile's); ``first_amount``: the first payment, the rest shared equally
        (default: all equal). Everything is checked first, with a UserError in the user's language, and
        nothing is saved then. ``preview``: the schedule only, ``{"lines": [(date, amount)], "total",
        "currency", "auto"}``. Else the plan: running at once when staff make it or within the profile's
        automatic limits, else waiting for billing staff (an activity)."""
        if origin not in ("portal", "staff"):
            raise UserError(self.env._("Unknown origin of a payment plan: %s", origin))
        invoices = self._agency_check_plan_access(invoices, origin)
        invoices = invoices.sudo()
        partner = invoices.commercial_partner_id
        company, currency = invoices.company_id, invoices.currency_id
        cadence = self.env["agency.reminder.cadence"].sudo()._agency_cadence_for(partner, company)[partner.id]
        if origin == "portal" and (not cadence or cadence.plan_max_months < 2):
            raise UserError(self.env._("Payment plans are not offered for your account: please contact the agency."))
        total = currency.round(sum(invoices.mapped("amount_residual")))
        if origin == "portal" or first_now is None:
            first_now = cadence.plan_first_now if cadence else True
        schedule = self._agency_schedule(
            total,
            currency,
            months,
            first_now=first_now,
            first_amount=first_amount,
            origin=origin,
            cadence=cadence,
            company=company,
        )
        total_company = currency._convert(total, company.currency_id, company, fields.Date.context_today(self))
        auto = origin == "staff" or (
            months <= cadence.plan_auto_months
            and (
                not cadence.plan_auto_amount
                or company.currency_id.compare_amounts(total_company, cadence.plan_auto_amount) <= 0
            )
        )
        if preview:
            return {"lines": schedule, "total": total, "currency": currency, "auto": auto}
        plan = self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "currency_id": currency.id,
                "invoice_ids": [(6, 0, invoices.ids)],
                "origin": origin,
                "state": "active" if auto else "proposed",
                "proposed_uid": self.env.uid,
                "decided_uid": self.env.uid if origin == "staff" else False,
                "decided_date": fields.Datetime.now() if auto else False,
                "date_start": fields.Date.context_today(self),
                "amount_total": total,
                "grace_days": cadence.plan_grace_days if cadence else 5,
                "fees_from_original": cadence.plan_fees_from_original if cadence else False,
                "line_ids": [
                    (0, 0, {"sequence": index, "date": date, "amount": amount})
                    for index, (date, amount) in enumerate(schedule, start=1)
                ],
            }
        )
        plan._agency_announce(invoices)
        return plan.sudo(self.env.su)

    @api.model
    def _agency_plan_candidates(self, partner, company=None):
        """The invoices a plan of ``partner`` may cover by default: its open invoices of ``company`` (default:
        the current one) not disputed and in no other plan, in one currency (the company's first)."""
        company = company or self.env.company
        Move = self.env["account.move"]
        invoices = Move.search(
            Move._agency_to_remind_domain()
            & Domain("commercial_partner_id", "=", partner.commercial_partner_id.id)
            & Domain("company_id", "=", company.id),
            order="invoice_date_due, id",
        )
        invoices -= Move.browse(self._agency_plan_for_moves(invoices, OPEN_STATES))
        invoices -= Move.union(*invoices._agency_disputed_amounts())
        currency = company.currency_id if company.currency_id in invoices.currency_id else invoices[:1].currency_id
        return invoices.filtered(lambda move: move.currency_id == currency)

    @api.model
    def _agency_plan_offer(self, partner, company=None):
        """What the client's profile lets it choose from the portal: ``{"max_months", "min_amount",
        "first_now", "auto_months"}`` (``max_months`` below 2: no plan offered)."""
        company = company or self.env.company
        partner = partner.commercial_partner_id
        cadence = self.env["agency.reminder.cadence"].sudo()._agency_cadence_for(partner, company)[partner.id]
        return {
            "max_months": cadence.plan_max_months if cadence else 0,
            "min_amount": cadence.plan_min_amount if cadence else 0.0,
            "first_now": cadence.plan_first_now if cadence else True,
            "auto_months": cadence.plan_auto_months if cadence else 0,
        }

    @api.model
    def _agency_check_plan_access(self, invoices, origin):
        """The invoices a plan may cover, as the user may see them: the user's own (portal) or its companies'
        (staff), open, not disputed, of one client, company and currency, in no other plan."""
        Hold = self.env["agency.reminder.hold"]
        if not invoices:
            raise UserError(self.env._("Please choose the invoices to pay in installments."))
        try:
            invoices.check_access("read")
        except AccessError:
            raise UserError(self.env._("These invoices are not yours: choose among your open invoices.")) from None
        if origin == "portal" and invoices.commercial_partner_id != self.env.user.commercial_partner_id:
            raise UserError(self.env._("These invoices are not yours: choose among your open invoices."))
        if len(invoices.commercial_partner_id) > 1 or len(invoices.company_id) > 1 or len(invoices.currency_id) > 1:
            raise UserError(
                self.env._("One plan covers the invoices of one client, company and currency: choose them again.")
            )
        invoices = invoices.sudo()
        for invoice in invoices:
            if invoice.state == "posted" and invoice.payment_state in ("paid", "in_payment", "reversed"):
                raise UserError(
                    self.env._("The invoice %s is already paid: nothing to pay in installments.", invoice.name)
                )
            Hold._agency_check_open_invoice(invoice)
        disputed = invoices._agency_disputed_amounts()
        if disputed:
            raise UserError(
                self.env._(
                    "The invoice %s is disputed: it cannot be paid in installments while the dispute is open.",
                    next(iter(disputed)).name,
                )
            )
        taken = self._agency_plan_for_moves(invoices, states=OPEN_STATES)
        if taken:
            raise UserError(
                self.env._("The invoice %s is already in a payment plan.", invoices.browse(next(iter(taken))).name)
            )
        return invoices.sudo(self.env.su)

    @api.model
    def _agency_schedule(self, total, currency, months, *, first_now, first_amount, origin, cadence, company):
        """``[(date, amount)]``: ``months`` monthly payments of ``total``, checked against the limits."""
        if isinstance(months, bool) or not isinstance(months, int):
            raise UserError(self.env._("Choose the number of monthly payments."))
        most = STAFF_MAX_MONTHS if origin == "staff" else cadence.plan_max_months
        if not 2 <= months <= most:
            raise UserError(self.env._("Choose between 2 and %(most)s monthly payments.", most=most))
        if currency.compare_amounts(total, 0) <= 0:
            raise UserError(self.env._("Nothing is owed on these invoices: nothing to pay in installments."))
        if first_amount is not None and first_amount is not False:
            first_amount = currency.round(first_amount)
            if currency.compare_amounts(first_amount, 0) <= 0:
                raise UserError(self.env._("The first payment must be more than zero."))
            if currency.compare_amounts(first_amount, total) >= 0:
                raise UserError(
                    self.env._(
                        "The first payment (%(first)s) must be less than the total owed (%(total)s).",
                        first=format_amount(self.env, first_amount, currency),
                        total=format_amount(self.env, total, currency),
                    )
                )
            amounts = [first_amount, *self._agency_split(total - first_amount, months - 1, currency)]
        else:
            amounts = self._agency_split(total, months, currency)
        if origin == "portal" and cadence.plan_min_amount:
            today = fields.Date.context_today(self)
            minimum = company.currency_id._convert(cadence.plan_min_amount, currency, company, today)
            if any(currency.compare_amounts(amount, minimum) < 0 for amount in amounts):
                raise UserError(
                    self.env._(
                        "Each payment must be at least %(minimum)s: choose fewer payments (or a smaller first one).",
                        minimum=format_amount(self.env, minimum, currency),
                    )
                )
        start = fields.Date.context_today(self) + relativedelta(months=0 if first_now else 1)
        return [(start + relativedelta(months=index), amount) for index, amount in enumerate(amounts)]

    @api.model
    def _agency_split(self, amount, count, currency):
        """``amount`` in ``count`` equal parts, the last one taking the rounding."""
        part = currency.round(amount / count)
        return [part] * (count - 1) + [currency.round(amount - part * (count - 1))]

    def _agency_announce(self, invoices):
        """Tell the chatter of the plan and of its invoices; a proposal waiting for the agency is an activity."""
        self.ensure_one()
        lines = ", ".join(
            f"{format_date(self.env, line.date)}: {format_amount(self.env, line.amount, self.currency_id)}"
            for line in self.line_ids
        )
        if self.state == "active":
            body = self.env._("Payment plan running: %s.", lines)
        else:
            body = self.env._("Payment plan proposed by the client, waiting for the agency: %s.", lines)
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        for invoice in invoices:
            invoice.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.state == "proposed":
            Hold = self.env["agency.reminder.hold"]
            responsible = Hold._agency_responsible(invoices[:1], self.partner_id, "portal")
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Payment plan to accept or refuse"),
                note=Markup("<p>%s</p>") % body,
            )

    # ------------------------------------------------------------------
    # ACTIONS (billing staff)
    # ------------------------------------------------------------------

    def _agency_check_staff(self):
        """Billing or invoicing staff who may change these plans (a customer reads its own, never decides)."""
        self.check_access("write")
        user = self.env.user
        if not (
            user.has_group("agency_billing.group_agency_billing_user")
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(self.env._("Only billing staff may decide on a payment plan."))

    def action_accept(self):
        """Accept a proposed plan: it runs from today (its dates move by the days it waited)."""
        self._agency_check_staff()
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.state != "proposed":
                raise UserError(self.env._("Only a plan waiting for the agency can be accepted."))
            shift = today - plan.date_start
            for line in plan.line_ids:
                line.sudo().date = line.date + shift
            plan.sudo().write(
                {
                    "state": "active",
                    "decided_uid": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                    "date_start": today,
                }
            )
            plan.activity_ids.sudo().action_feedback(feedback=self.env._("Accepted"))
            plan.sudo().message_post(
                body=self.env._("Payment plan accepted by the agency."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_refuse(self):
        """Refuse a proposed plan: the invoices' own reminders go on."""
        self._agency_check_staff()
        for plan in self:
            if plan.state != "proposed":
                raise UserError(self.env._("Only a plan waiting for the agency can be refused."))
            plan.sudo().write({"state": "refused", "decided_uid": self.env.uid, "decided_date": fields.Datetime.now()})
            plan.activity_ids.sudo().action_feedback(feedback=self.env._("Refused"))
            plan.sudo().message_post(
                body=self.env._("Payment plan refused by the agency."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_cancel(self):
        """Cancel a plan (staff): the invoices' reminders resume, as after a break but without one."""
        self._agency_check_staff()
        for plan in self:
            if plan.state not in OPEN_STATES:
                raise UserError(self.env._("Only a running or proposed plan can be cancelled."))
            plan.sudo().write(
                {"state": "cancelled", "decided_uid": self.env.uid, "decided_date": fields.Datetime.now()}
            )
            plan.activity_ids.sudo().unlink()
            plan.sudo().message_post(body=self.env._("Payment plan cancelled."), subtype_xmlid="mail.mt_note")
        return True
