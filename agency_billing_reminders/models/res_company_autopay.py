from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_RETRY_DAYS = "1,3,5,7"


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_autopay_days_before = fields.Integer(
        string="Autopay: Days Before Due Date",
        default=0,
        help="Clients on autopay are charged this many days before each installment falls due (0: on the due date).",
    )
    agency_autopay_retry_days = fields.Char(
        string="Autopay: Retries (days after the first failure)",
        default=DEFAULT_RETRY_DAYS,
        help="A failed automatic payment is tried again this many days after the first failure, comma separated; "
        "after the last one the invoice leaves autopay and its reminders take over.",
    )

    @api.constrains("agency_autopay_days_before", "agency_autopay_retry_days")
    def _check_agency_autopay_settings(self):
        for company in self:
            if not 0 <= company.agency_autopay_days_before <= 60:
                raise ValidationError(self.env._("Autopay charges between 0 and 60 days before the due date."))
            company._agency_autopay_retry_offsets()

    def _agency_autopay_retry_offsets(self):
        """The retry schedule: days after the first failure, increasing (``[1, 3, 5, 7]``)."""
        self.ensure_one()
        text = (self.agency_autopay_retry_days or "").replace(" ", "")
        try:
            offsets = [int(part) for part in text.split(",") if part]
        except ValueError:
            offsets = None
        if offsets is None or any(day <= 0 or day > 90 for day in offsets) or offsets != sorted(set(offsets)):
            raise ValidationError(
                self.env._(
                    "Write the autopay retries as increasing numbers of days between 1 and 90, such as %s.",
                    DEFAULT_RETRY_DAYS,
                )
            )
        return offsets
