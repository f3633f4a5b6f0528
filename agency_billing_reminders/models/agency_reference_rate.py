from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class AgencyReferenceRate(models.Model):
    """The central bank's reference rate, one value per half-year (Directive 2011/7/EU, art. 2(12)):
    the rate in force on 1 January applies to the first half of the year, the one in force on 1 July to
    the second. A rate applies to its half-year only: without the rate of a half-year, no statutory
    interest is charged for it (and the billing manager is told when the half-year starts)."""

    _name = "agency.reference.rate"
    _description = "Reference Interest Rate"
    _order = "date_from desc, id desc"
    _rec_name = "date_from"

    date_from = fields.Date(
        string="Valid From",
        required=True,
        help="First day of the half-year the rate applies to: 1 January or 1 July.",
    )
    rate = fields.Float(
        string="Rate (%)",
        required=True,
        digits=(16, 4),
        help="The reference rate, in percent a year (the ECB's main refinancing rate for the euro).",
    )
    company_id = fields.Many2one("res.company", help="Empty: used by every company.")
    note = fields.Char(help="Where the value comes from, e.g. ECB main refinancing operations.")

    _date_company_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (date_from, company_id)", "There is already a reference rate for this half-year."
    )

    @api.constrains("date_from", "rate")
    def _check_half_year(self):
        for rate in self:
            if (rate.date_from.month, rate.date_from.day) not in ((1, 1), (7, 1)):
                raise ValidationError(
                    self.env._(
                        "A reference rate is valid from 1 January or 1 July, not from %s.",
                        format_date(self.env, rate.date_from),
                    )
                )
            if not -100 < rate.rate < 100:
                raise ValidationError(self.env._("A reference rate must be between -100 % and 100 %."))

    @api.model
    def _agency_half_year(self, date):
        """The first day of the half-year of ``date``: 1 January or 1 July."""
        return date.replace(month=1 if date.month < 7 else 7, day=1)

    @api.model
    def _agency_rates_between(self, date_from, date_to, company):
        """The rates of each half-year from ``date_from`` to ``date_to``: ``[(first_day, rate)]`` in date
        order, the first day being ``date_from`` for the first one; ``rate`` is None for a half-year whose
        rate is not known: a rate applies to its own half-year only, never to a later one. A company's own
        rates come before the shared ones."""
        first = self._agency_half_year(date_from)
        rates = self.search(
            [("company_id", "in", (company.id, False)), ("date_from", ">=", first), ("date_from", "<=", date_to)]
        )
        by_date = {}
        for rate in rates.sorted(lambda r: bool(r.company_id)):  # the company's own rate wins
            by_date[rate.date_from] = rate.rate
        periods, day = [], first
        while day <= date_to:
            periods.append((max(day, date_from), by_date.get(day)))
            day = day.replace(month=7) if day.month == 1 else day.replace(year=day.year + 1, month=1)
        return periods

    # ------------------------------------------------------------------
    # CRON: tell the billing manager when a half-year starts without its rate
    # ------------------------------------------------------------------

    @api.model
    def _cron_agency_check_reference_rate(self):
        """Once per half-year and policy: an activity for the billing manager when statutory interest
        cannot be charged because the reference rate of the current half-year is not entered."""
        today = fields.Date.context_today(self)
        half_year = self._agency_half_year(today)
        policies = self.env["agency.late.fee.policy"].search(
            [("kind", "=", "interest"), ("use_reference_rate", "=", True)]
        )
        for policy in policies.filtered(lambda policy: policy.rate_alert_date != half_year):
            companies = policy.company_id or self.env["res.company"].search([])
            missing = companies.filtered(
                lambda company: (
                    not self.search_count(
                        [("date_from", "=", half_year), ("company_id", "in", (company.id, False))], limit=1
                    )
                )
            )
            if not missing:
                continue
            manager = self._agency_billing_manager(missing[0])
            policy.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                user_id=manager.id,
                summary=self.env._("Enter the reference rate from %s", format_date(self.env, half_year)),
                note=self.env._(
                    "No statutory interest is charged by “%(policy)s” until the reference rate of the half-year "
                    "starting %(date)s is entered in Agency Billing › Configuration › Reference Rates (%(companies)s).",
                    policy=policy.name,
                    date=format_date(self.env, half_year),
                    companies=", ".join(missing.mapped("name")),
                ),
            )
            policy.rate_alert_date = half_year

    @api.model
    def _agency_billing_manager(self, company):
        """Who is told: the first billing manager of ``company``, else the administrator."""
        group = self.env.ref("agency_billing.group_agency_billing_manager")
        managers = group.sudo().all_user_ids.filtered(lambda user: not user.share and company in user.company_ids)
        return managers.sorted("id")[:1] or self.env.ref("base.user_admin")
