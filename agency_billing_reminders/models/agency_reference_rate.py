from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class AgencyReferenceRate(models.Model):
    """The central bank's reference rate, one value per half-year (Directive 2011/7/EU, art. 2(12)):
    the rate in force on 1 January applies to the first half of the year, the one in force on 1 July to
    the second. A rate applies from its date until the next one, like a currency rate."""

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
    def _agency_rates_between(self, date_from, date_to, company):
        """The rates that apply from ``date_from`` to ``date_to``: ``[(first_day, rate)]`` in date order, the
        first one in force on ``date_from``. A company's own rates come before the shared ones."""
        rates = self.search(
            [("company_id", "in", (company.id, False)), ("date_from", "<=", date_to)], order="date_from desc"
        )
        by_date = {}
        for rate in rates.sorted(lambda r: bool(r.company_id)):  # the company's own rate wins
            by_date[rate.date_from] = rate.rate
        in_force = [day for day in by_date if day <= date_from]
        if not in_force:
            raise UserError(
                self.env._(
                    "No reference rate is known for %s: add it in Agency Billing › Configuration › Reference Rates.",
                    date_from,
                )
            )
        start = max(in_force)
        return [(max(day, date_from), by_date[day]) for day in sorted(by_date) if day >= start]
