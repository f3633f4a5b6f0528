from odoo import api, models


class AgencyEinvoice(models.AbstractModel):
    _inherit = "agency.einvoice"

    # EXTENDS agency_billing: a late-fee invoice is about the overdue invoice it charges for
    @api.model
    def _preceding_invoices(self, move):
        return super()._preceding_invoices(move) | move.agency_late_fee_origin_id
