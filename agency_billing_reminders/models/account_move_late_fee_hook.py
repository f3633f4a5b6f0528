from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _agency_charge_late_fees(self, step, date):
        """Hook called by the reminder run for the invoices of ``self`` that reached ``step`` on ``date``,
        when the step charges a late fee (``step.charge_late_fee``).

        Returns the late-fee documents created. Nothing here: the late-fee policies override it.
        """
        return self.browse()
