import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PATTERN_TOKENS = ("client", "service", "year", "month")
TOKEN_RE = re.compile(r"\{(\w*)\}")


class AccountJournal(models.Model):
    _inherit = "account.journal"

    agency_numbering = fields.Boolean(
        string="Client-Coded Numbers",
        help="Customer invoices of this journal are numbered per client from a pattern, e.g. ACME-2026-11-0042, "
        "with Odoo's gapless sequences: one sequence per client and month (or year).",
    )
    agency_number_pattern = fields.Char(
        string="Number Pattern",
        default="{client}-{year}-{month}-",
        help="Prefix of the numbers; the sequence number follows. Tokens: {client} (the client code), "
        "{service} (the service code below), {year}, {month}. Credit notes get 'CN-' in front.",
    )
    agency_service_code = fields.Char(
        string="Service Code",
        size=8,
        help="Short code of the service line this journal bills (e.g. WEB, MEDIA), for {service}.",
    )

    @api.constrains("agency_numbering", "agency_number_pattern")
    def _check_agency_number_pattern(self):
        for journal in self.filtered("agency_numbering"):
            pattern = journal.agency_number_pattern or ""
            tokens = TOKEN_RE.findall(pattern)
            unknown = [token for token in tokens if token not in PATTERN_TOKENS]
            if unknown or "client" not in tokens or "year" not in tokens:
                raise ValidationError(
                    self.env._(
                        "The number pattern “%(pattern)s” is not valid: it needs {client} and {year}, and "
                        "may use {service} and {month}; nothing else between braces.",
                        pattern=pattern,
                    )
                )
            if pattern[-1:].isdigit() or pattern.endswith("}"):
                raise ValidationError(
                    self.env._(
                        "The number pattern must end with a separator such as “-” or “/”, "
                        "so that the sequence number reads apart (e.g. {client}-{year}-{month}-)."
                    )
                )

    def _agency_number_prefix(self, partner, date, refund=False):
        """The prefix of an invoice number for this client and date: ACME-2026-11-."""
        self.ensure_one()
        commercial = partner.commercial_partner_id
        prefix = self.agency_number_pattern.format(
            client=commercial.agency_client_code or f"C{commercial.id}",
            service=self.agency_service_code or self.code,
            year=f"{date.year:04d}",
            month=f"{date.month:02d}",
        )
        return f"CN-{prefix}" if refund else prefix
