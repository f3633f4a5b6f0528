from babel.dates import format_date

from odoo import fields, models
from odoo.tools.misc import get_lang


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    def _agency_plain_terms(self, date_ref=None):
        """Say the payment terms in plain words, in the user's (context) language.

        Without a payment term: "Due on receipt". With ``date_ref`` (the invoice date)
        the due date is given too: "Due within 30 days, by 22 December 2026".
        Installments are listed one by one.
        """
        if not self:
            if date_ref:
                return self.env._("Due on receipt, by %(date)s", date=self._agency_format_date(date_ref))
            return self.env._("Due on receipt")
        self.ensure_one()
        lines = self.line_ids.sorted(lambda line: (line.nb_days, line.id))
        if len(lines) == 1:
            text = self._agency_plain_line(lines, date_ref)
        else:
            parts = []
            for line in lines:
                share = (
                    self.env._("%(percent)s %%", percent=f"{line.value_amount:g}")
                    if line.value == "percent"
                    else f"{line.value_amount:g}"
                )
                parts.append(
                    self.env._(
                        "%(share)s %(when)s",
                        share=share,
                        when=self._agency_plain_line(line, date_ref, lower=True),
                    )
                )
            text = self.env._(
                "In %(count)s installments: %(parts)s",
                count=len(lines),
                parts="; ".join(parts),
            )
        if self.early_discount:
            text += ". " + self.env._(
                "%(percent)s %% discount if paid within %(days)s days",
                percent=f"{self.discount_percentage:g}",
                days=self.discount_days,
            )
        return text

    def _agency_plain_line(self, line, date_ref=None, lower=False):
        days = line.nb_days
        if line.delay_type == "days_after":
            text = self.env._("due on receipt") if days == 0 else self.env._("due within %(days)s days", days=days)
        elif line.delay_type == "days_after_end_of_month":
            text = (
                self.env._("due at the end of the month")
                if days == 0
                else self.env._("due %(days)s days after the end of the month", days=days)
            )
        elif line.delay_type == "days_after_end_of_next_month":
            text = (
                self.env._("due at the end of the next month")
                if days == 0
                else self.env._("due %(days)s days after the end of the next month", days=days)
            )
        else:
            text = self.env._("due on day %(day)s of the next month", day=line.days_next_month)
        if date_ref:
            text = self.env._(
                "%(terms)s, by %(date)s",
                terms=text,
                date=self._agency_format_date(line._get_due_date(date_ref)),
            )
        return text if lower else text[:1].upper() + text[1:]

    def _agency_format_date(self, date):
        """A date written out in full in the context language: 22 December 2026."""
        lang = get_lang(self.env)
        return format_date(fields.Date.to_date(date), format="long", locale=lang.code)
