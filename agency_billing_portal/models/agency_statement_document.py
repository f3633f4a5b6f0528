from odoo import api, models


class AgencyStatementDocument(models.Model):
    _inherit = "agency.statement.document"

    @api.model
    def _prepare_clients(self):
        """Contacts kept to their own documents never download the company-wide statement."""
        return super()._prepare_clients().filtered(lambda partner: not partner.agency_portal_own_documents)
