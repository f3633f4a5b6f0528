from odoo import api, models


class AgencyAutopayMandate(models.Model):
    _inherit = "agency.autopay.mandate"

    @api.model
    def _agency_autopay_may_consent(self, partner):
        # EXTENDS agency_billing_reminders: a contact kept to its own documents does not commit its client
        return super()._agency_autopay_may_consent(partner) and not (
            self.env.user.share and partner.agency_portal_own_documents
        )
