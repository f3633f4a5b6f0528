from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agency_billing_auto_post = fields.Boolean(related="company_id.agency_billing_auto_post", readonly=False)
    agency_billing_journal_id = fields.Many2one(related="company_id.agency_billing_journal_id", readonly=False)
    agency_late_payment_policy = fields.Text(related="company_id.agency_late_payment_policy", readonly=False)
