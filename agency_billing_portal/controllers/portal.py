from odoo import fields
from odoo.http import request

from odoo.addons.account_payment.controllers import portal


class PortalAccount(portal.PortalAccount):
    # EXTENDS account_payment
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the page itself, not the counters refreshed in JSON
            values["agency_account"] = self._agency_account_values()
        return values

    def _agency_account_values(self):
        """The customer's account card: what its company owes, as far as this user may see."""
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return {}
        partner = request.env.user.partner_id.commercial_partner_id
        today = fields.Date.context_today(partner)
        summary = partner._agency_account_summary(today)[partner.id]
        return {
            **summary,
            "currency": request.env.company.currency_id,
            # the payment terms of one's own company, even without access to payment terms
            "terms": partner.sudo().agency_payment_terms_text,
        }
