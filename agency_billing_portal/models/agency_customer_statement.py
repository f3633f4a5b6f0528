from odoo import api, fields, models

# the longest statement a customer may ask for from the portal
PORTAL_MAX_DAYS = 731


class AgencyCustomerStatement(models.AbstractModel):
    _inherit = "agency.customer.statement"

    @api.model
    def _agency_portal_period(self, partner, date_from, date_to):
        """The statement period a customer asked for on the portal, bounded: not before the client's first
        entry (nothing to show earlier), not after today, at most two years. Returns (start, end, error):
        the default period and a message in the user's language for a period that cannot be shown."""
        today = fields.Date.context_today(self)
        default_from, default_to = self._default_period(today)
        try:
            start = fields.Date.to_date(date_from) if date_from else default_from
            end = fields.Date.to_date(date_to) if date_to else default_to
        except (ValueError, TypeError):
            return default_from, default_to, self.env._("Choose the period with valid dates (year-month-day).")
        if start > end:
            return default_from, default_to, self.env._("The statement period must start before it ends.")
        end = min(end, today)
        # nothing to show before the first entry (the default period's start stays as it is prepared)
        first = self._agency_first_entry_date(partner)
        floor = min(first, default_from) if first else default_from
        if end < floor:
            return (
                default_from,
                default_to,
                self.env._("Your account has no entries before %(date)s: choose a later period.", date=floor),
            )
        start = max(start, floor)
        if (end - start).days > PORTAL_MAX_DAYS:
            return (
                default_from,
                default_to,
                self.env._("A statement covers at most two years: choose a shorter period."),
            )
        return start, end, False

    @api.model
    def _agency_portal_period_is_default(self, start, end):
        """Whether a statement of this period is the one prepared ahead (and so worth storing)."""
        return (start, end) == self._default_period(fields.Date.context_today(self))

    @api.model
    def _agency_first_entry_date(self, partner):
        """The date of the client's first receivable entry in the current company, or None."""
        domain = self._receivable_domain(partner.commercial_partner_id, self.env.company)
        [(first,)] = self.env["account.move.line"].sudo()._read_group(domain, [], ["date:min"])
        return first or None
