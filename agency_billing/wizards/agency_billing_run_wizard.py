from odoo import fields, models


class AgencyBillingRunWizard(models.TransientModel):
    """Start a billing run: pick the date and, if wanted, the clients; then preview."""

    _name = "agency.billing.run.wizard"
    _description = "Start a Billing Run"

    date = fields.Date(string="Invoice Date", required=True, default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        domain=[("agency_billing_policy", "!=", False), ("parent_id", "=", False)],
        help="Leave empty to bill every client with a billing policy.",
    )

    def action_preview(self):
        self.ensure_one()
        run = self.env["agency.billing.run"].create({"date": self.date, "partner_ids": [(6, 0, self.partner_ids.ids)]})
        run.action_preview()
        return {
            "type": "ir.actions.act_window",
            "res_model": "agency.billing.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
