from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _agency_charge_late_fees(self, step, date):
        """Hook called by the reminder run for the invoices of ``self`` that reached ``step`` on ``date``,
        when the step charges a late fee (``step.charge_late_fee``).

        Returns the late-fee documents created. Nothing here: the late-fee policies override it.
        """
        return self.browse()

    def _agency_late_fee_notes(self, step, date):
        """What the late fee of ``step`` could not charge on these invoices and why: ``{move: note}``, shown
        on the reminder log. Nothing here: the late-fee policies override it."""
        return {}
