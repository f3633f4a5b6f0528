from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

FEE_KINDS = [
    ("fixed", "Fixed amount"),
    ("percent", "Percentage of the overdue amount"),
    ("interest", "Daily interest at an annual rate"),
]


class AgencyLateFeePolicy(models.Model):
    """How much an overdue invoice costs its client, charged as a separate invoice (see ``agency.late.fee``).

    Each kind of fee is one method ``_agency_fee_<kind>(invoice, date, start)`` returning the charges not
    yet made: a new kind is a new method and a new selection value.
    """

    _name = "agency.late.fee.policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Late Fee Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    kind = fields.Selection(FEE_KINDS, required=True, default="interest")
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the fixed amounts, the cap and the compensation; converted to the invoice's currency.",
    )
    fixed_amount = fields.Monetary(string="Fee Amount", help="Charged once per overdue invoice.")
    percent = fields.Float(string="Percentage (%)", help="Of the amount still due, charged once per invoice.")
    annual_rate = fields.Float(
        string="Annual Rate (%)",
        digits=(16, 4),
        help="Interest a year on the amount still due, counted day by day (actual days / 365). With the "
        "reference rate: the points added to it (8 under Directive 2011/7/EU).",
    )
    use_reference_rate = fields.Boolean(
        string="Add the Reference Rate",
        help="Interest at the reference rate of each half-year (Configuration › Reference Rates) plus the "
        "annual rate above.",
    )
    grace_days = fields.Integer(help="Days after the due date before any fee or interest runs.")
    cap_amount = fields.Monetary(
        string="Cap",
        help="Most that fees and interest may add up to on one invoice (the compensation aside). 0: no cap.",
    )
    compensation_amount = fields.Monetary(
        string="Recovery Compensation",
        help="Fixed compensation for recovery costs, charged once per invoice (40 EUR under Directive "
        "2011/7/EU), on top of the fee.",
    )
    apply_business = fields.Boolean(string="Businesses", default=True)
    apply_public = fields.Boolean(string="Public Administrations")
    apply_private = fields.Boolean(string="Private Persons")
    country_group_id = fields.Many2one(
        "res.country.group",
        string="Clients In",
        help="Only clients in these countries are charged (a client without a country: the company's). "
        "Empty: every country.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        default=lambda self: self.env.ref("agency_billing_reminders.product_late_fee", raise_if_not_found=False),
        help="The product of the fee invoice's lines.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Empty: the product's income account.",
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        domain="[('type_tax_use', '=', 'sale')]",
        help="Taxes of the fee lines (late-payment interest is usually outside the scope of VAT). Mapped by the "
        "client's fiscal position.",
    )
    journal_id = fields.Many2one(
        "account.journal", domain="[('type', '=', 'sale')]", help="Empty: the company's default sales journal."
    )
    auto_post = fields.Boolean(
        string="Post Fee Invoices", default=True, help="Post the fee invoices at once; otherwise left in draft."
    )
    send_invoices = fields.Boolean(
        string="Send Fee Invoices",
        default=True,
        help="Send each posted fee invoice to the client, in the background, as Odoo sends invoices (PDF and "
        "mail in the client's language).",
    )
    note = fields.Text(translate=True)
    rate_alert_date = fields.Date(
        string="Missing Rate Told",
        readonly=True,
        copy=False,
        help="The half-year whose missing reference rate the billing manager was last told about.",
    )

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------

    @api.constrains("fixed_amount", "percent", "annual_rate", "grace_days", "cap_amount", "compensation_amount")
    def _check_amounts(self):
        for policy in self:
            if policy.fixed_amount < 0:
                raise ValidationError(self.env._("The fee amount cannot be negative."))
            if not 0 <= policy.percent <= 100:
                raise ValidationError(self.env._("The percentage must be between 0 and 100 %."))
            if not 0 <= policy.annual_rate <= 100:
                raise ValidationError(self.env._("The annual rate must be between 0 and 100 %."))
            if policy.grace_days < 0:
                raise ValidationError(self.env._("The grace days cannot be negative."))
            if policy.cap_amount < 0:
                raise ValidationError(self.env._("The cap cannot be below zero (0 means no cap)."))
            if policy.compensation_amount < 0:
                raise ValidationError(self.env._("The recovery compensation cannot be negative."))

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _agency_applies_to(self, invoice):
        """Whether this policy may charge the client of ``invoice`` (its profile and country)."""
        self.ensure_one()
        partner = invoice.commercial_partner_id
        if not self[f"apply_{partner.agency_client_profile or 'business'}"]:
            return False
        country = partner.country_id or invoice.company_id.country_id
        return not self.country_group_id or country in self.country_group_id.country_ids

    def _agency_charges(self, invoice, date):
        """The charges this policy makes on ``invoice`` on ``date`` that were not made before: a list of
        ``{"component", "date_from", "date_to", "amount", "lines": [(label, amount)]}`` in the invoice's
        currency, the cap applied."""
        self.ensure_one()
        start = invoice._agency_first_due_date() + timedelta(days=1 + self.grace_days)
        suspended, restart = self.env["agency.payment.plan"]._agency_fee_restart(invoice)
        if suspended:
            return []  # no fee while a payment plan runs
        if restart:
            start = max(start, restart)  # a broken plan: fees from the day it broke
        disputed = invoice._agency_disputed_amounts(date).get(invoice, 0.0)
        if date < start or invoice.currency_id.compare_amounts(invoice.amount_residual, disputed) <= 0:
            return []  # nothing due, or all of it disputed: no fee on a disputed amount
        charges = [charge for charge in getattr(self, f"_agency_fee_{self.kind}")(invoice, date, start) if charge]
        charges = self._agency_apply_cap(invoice, charges)
        if self.compensation_amount:
            charges.append(self._agency_fee_compensation(invoice, date, start))
        return [charge for charge in charges if charge and not invoice.currency_id.is_zero(charge["amount"])]

    def _agency_charge(self, invoice, lines, component, date_from, date_to):
        """One charge dict, its lines rounded in the invoice's currency."""
        currency = invoice.currency_id
        lines = [(label, currency.round(amount)) for label, amount in lines]
        return {
            "component": component,
            "date_from": date_from,
            "date_to": date_to,
            "amount": sum(amount for _label, amount in lines),
            "lines": lines,
        }

    def _agency_in_invoice_currency(self, amount, invoice, date):
        return self.currency_id._convert(amount, invoice.currency_id, invoice.company_id, date)

    def _agency_charged(self, invoice, components):
        return invoice.agency_late_fee_ids.filtered(lambda fee: fee.component in components)

    def _agency_once(self, invoice, date, label, amount, component="fee"):
        """A charge made once per invoice: its period starts the day after the due date, whatever the grace."""
        if self._agency_charged(invoice, (component,)):
            return None
        first_day = invoice._agency_first_due_date() + timedelta(days=1)
        return self._agency_charge(invoice, [(label, amount)], component, first_day, date)

    # ------------------------------------------------------------------
    # FEE KINDS: one method per kind, ``_agency_fee_<kind>(invoice, date, start)`` → [charge]
    # ------------------------------------------------------------------

    def _agency_fee_fixed(self, invoice, date, start):
        label = self.env._("Late payment fee for %s", invoice.name)
        return [
            self._agency_once(invoice, date, label, self._agency_in_invoice_currency(self.fixed_amount, invoice, date))
        ]

    def _agency_fee_percent(self, invoice, date, start):
        residual = invoice._agency_overdue_residual(date)
        label = self.env._(
            "Late payment fee for %(invoice)s: %(percent)s %% of %(amount)s",
            invoice=invoice.name,
            percent=f"{self.percent:g}",
            amount=self._agency_format(residual, invoice),
        )
        return [self._agency_once(invoice, date, label, residual * self.percent / 100)]

    def _agency_fee_interest(self, invoice, date, start):
        """Interest on the amount due each day, installment by installment from the day after its due date
        (and after the last period charged) to ``date``: one line per installment, rate and amount, so a
        reference rate changing or a partial payment inside the period starts a new line."""
        charged = self._agency_charged(invoice, ("interest",))
        resume = max([start] + [day + timedelta(days=1) for day in charged.mapped("date_to")])
        # no interest without the reference rate of the period: charged up to the day before, the rest
        # once the rate is entered (``_agency_interest_gap`` says why)
        until = self._agency_interest_until(invoice, resume, date)
        installments = invoice._agency_receivable_lines().sorted("date_maturity")
        lines, date_from = [], None
        for installment in installments:
            first_day = max(resume, installment.date_maturity + timedelta(days=1 + self.grace_days))
            for first, last, rate, due in self._agency_interest_periods(installment, first_day, until):
                days = (last - first).days + 1
                label = self.env._(
                    "Late payment interest on %(invoice)s: %(amount)s at %(rate)s %% a year, %(first)s to %(last)s "
                    "(%(days)s days)",
                    invoice=invoice.name if len(installments) == 1 else self._agency_installment_name(installment),
                    amount=self._agency_format(due, invoice),
                    rate=f"{rate:g}",
                    first=format_date(self.env, first),
                    last=format_date(self.env, last),
                    days=days,
                )
                lines.append((label, due * rate / 100 * days / 365))
                date_from = min(date_from or first, first)
        return [self._agency_charge(invoice, lines, "interest", date_from, until)] if lines else []

    def _agency_missing_rate(self, invoice, date_from, date_to):
        """The first half-year from ``date_from`` to ``date_to`` whose reference rate is not known (its
        first day), or False."""
        if not self.use_reference_rate or self.kind != "interest" or date_from > date_to:
            return False
        rates = self.env["agency.reference.rate"]._agency_rates_between(date_from, date_to, invoice.company_id)
        return next((first for first, rate in rates if rate is None), False)

    def _agency_interest_until(self, invoice, date_from, date):
        """The last day interest can be charged for: ``date``, or the day before the first half-year
        without its reference rate."""
        missing = self._agency_missing_rate(invoice, date_from, date)
        return missing - timedelta(days=1) if missing else date

    def _agency_interest_gap(self, invoice, date):
        """Why no statutory interest is charged on ``invoice`` up to ``date`` (in the user's words), or
        False: the reference rate of a half-year is not known."""
        self.ensure_one()
        if not self.use_reference_rate or self.kind != "interest":
            return False
        start = invoice._agency_first_due_date() + timedelta(days=1 + self.grace_days)
        charged = self._agency_charged(invoice, ("interest",))
        resume = max([start] + [day + timedelta(days=1) for day in charged.mapped("date_to")])
        missing = self._agency_missing_rate(invoice, resume, date)
        if not missing:
            return False
        return self.env._(
            "no statutory interest from %(date)s: the reference rate of the half-year starting %(start)s is not "
            "known (Agency Billing › Configuration › Reference Rates)",
            date=format_date(self.env, max(resume, missing)),
            start=format_date(self.env, missing),
        )

    def _agency_installment_name(self, installment):
        return self.env._(
            "%(invoice)s (installment due %(date)s)",
            invoice=installment.move_id.name,
            date=format_date(self.env, installment.date_maturity),
        )

    def _agency_fee_compensation(self, invoice, date, start):
        label = self.env._("Compensation for recovery costs for %s", invoice.name)
        amount = self._agency_in_invoice_currency(self.compensation_amount, invoice, date)
        return self._agency_once(invoice, date, label, amount, component="compensation")

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------

    def _agency_rate_periods(self, invoice, date_from, date_to):
        """``[(first_day, last_day, annual_rate)]`` covering ``date_from`` to ``date_to``."""
        if not self.use_reference_rate:
            return [(date_from, date_to, self.annual_rate)]
        rates = self.env["agency.reference.rate"]._agency_rates_between(date_from, date_to, invoice.company_id)
        periods = []
        for index, (first, rate) in enumerate(rates):
            if rate is None:  # not known: no statutory interest (see ``_agency_interest_until``)
                break
            last = rates[index + 1][0] - timedelta(days=1) if index + 1 < len(rates) else date_to
            periods.append((first, last, rate + self.annual_rate))
        return periods

    def _agency_interest_periods(self, installment, date_from, date_to):
        """``[(first_day, last_day, annual_rate, amount_due)]`` of one installment (receivable line) from
        ``date_from`` to ``date_to``, cut where the rate changes and where a payment (or credit note) lowers
        what is due, from its date."""
        if date_from > date_to:
            return []
        invoice = installment.move_id
        rates = self._agency_rate_periods(invoice, date_from, date_to)
        paid = installment._agency_paid_by_date()
        # a dispute takes its part of the installment out from the day it is raised to its resolution
        disputes = self.env["agency.reminder.hold"]._agency_dispute_days(invoice)
        cuts = {first for first, _last, _rate in rates}
        cuts |= {day for day in set(paid) | disputes if date_from < day <= date_to}
        starts = sorted(cuts)
        periods = []
        for index, first in enumerate(starts):
            last = starts[index + 1] - timedelta(days=1) if index + 1 < len(starts) else date_to
            rate = next(rate for start, end, rate in rates if start <= first <= end)
            due = installment.amount_currency - sum(amount for day, amount in paid.items() if day <= first)
            if disputes:
                due -= invoice._agency_disputed_installments(first).get(installment, 0.0)
            if invoice.currency_id.compare_amounts(due, 0) > 0:
                periods.append((first, last, rate, due))
        return periods

    def _agency_apply_cap(self, invoice, charges):
        """Limit the new charges so that the fees of the invoice never exceed the cap (one line saying so)."""
        if not self.cap_amount:
            return charges
        currency = invoice.currency_id
        cap = currency.round(self._agency_in_invoice_currency(self.cap_amount, invoice, invoice.invoice_date_due))
        room = cap - sum(self._agency_charged(invoice, ("fee", "interest")).filtered("charged").mapped("amount"))
        capped = []
        for charge in charges:
            if currency.compare_amounts(charge["amount"], room) > 0:
                if currency.compare_amounts(room, 0) <= 0:
                    continue
                label = self.env._(
                    "%(label)s (capped at %(cap)s)", label=charge["lines"][0][0], cap=self._agency_format(cap, invoice)
                )
                charge_in_cap = dict(charge, amount=room, lines=[(label, room)])
            else:
                charge_in_cap = charge
            room -= charge_in_cap["amount"]
            capped.append(charge_in_cap)
        return capped

    def _agency_format(self, amount, invoice):
        return format_amount(self.env, amount, invoice.currency_id)
