from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agency_billing_auto_post = fields.Boolean(related="company_id.agency_billing_auto_post", readonly=False)
    agency_billing_journal_id = fields.Many2one(related="company_id.agency_billing_journal_id", readonly=False)
    agency_late_payment_policy = fields.Text(related="company_id.agency_late_payment_policy", readonly=False)
    agency_bank_transfer_hold_days = fields.Integer(related="company_id.agency_bank_transfer_hold_days", readonly=False)

    agency_upsell_enabled = fields.Boolean(related="company_id.agency_upsell_enabled", readonly=False)
    agency_upsell_min_clients = fields.Integer(related="company_id.agency_upsell_min_clients", readonly=False)
    agency_upsell_skip_overdue = fields.Boolean(related="company_id.agency_upsell_skip_overdue", readonly=False)
    agency_upsell_renewal_days = fields.Integer(related="company_id.agency_upsell_renewal_days", readonly=False)
    agency_upsell_refreshed_at = fields.Datetime(related="company_id.agency_upsell_refreshed_at")

    def action_agency_refresh_suggestions(self):
        """Recompute the suggestions of the company from all its invoices, now."""
        self.env["agency.recommendation.engine"]._refresh_full(self.company_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Service suggestions recomputed from all the invoices."),
                "next": {"type": "ir.actions.client", "tag": "reload"},
            },
        }

    def action_agency_evaluate_suggestions(self):
        wizard = self.env["agency.recommendation.evaluation"].create({"company_id": self.company_id.id})
        wizard.action_evaluate()
        return wizard._get_records_action(name=self.env._("Do Suggestions Work Here?"), target="new")
