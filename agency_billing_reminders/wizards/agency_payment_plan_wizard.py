from odoo import api, fields, models
from odoo.exceptions import UserError


class AgencyPaymentPlanWizard(models.TransientModel):
    """Staff propose a payment plan to a client (agreed with it: the plan runs at once)."""

    _name = "agency.payment.plan.wizard"
    _description = "Propose a Payment Plan"

    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', 'in', ('out_invoice', 'out_receipt')), "
        "('state', '=', 'posted'), ('payment_state', 'not in', ('paid', 'in_payment', 'reversed', 'blocked'))]",
    )
    months = fields.Integer(string="Monthly Payments", default=3)
    first_now = fields.Boolean(string="First Payment Today", default=True)
    first_amount = fields.Float(string="First Payment", digits="Account", help="Empty: all payments equal.")
    preview = fields.Text(compute="_compute_preview")

    @api.depends("invoice_ids", "months", "first_now", "first_amount")
    def _compute_preview(self):
        for wizard in self:
            try:
                schedule = wizard._agency_propose(preview=True)
            except UserError as error:  # shown to staff as they type, before they confirm
                wizard.preview = error.args[0] if error.args else str(error)
                continue
            currency = schedule["currency"]
            wizard.preview = "\n".join(
                f"{fields.Date.to_string(date)}: {currency.format(amount)}" for date, amount in schedule["lines"]
            )

    def _agency_propose(self, preview=False):
        self.ensure_one()
        return self.env["agency.payment.plan"]._agency_propose(
            self.invoice_ids,
            self.months,
            first_now=self.first_now,
            first_amount=self.first_amount or None,
            origin="staff",
            preview=preview,
        )

    def action_confirm(self):
        plan = self._agency_propose()
        return {"type": "ir.actions.act_window", "res_model": plan._name, "res_id": plan.id, "view_mode": "form"}
