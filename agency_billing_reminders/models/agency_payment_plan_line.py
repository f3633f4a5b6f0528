from odoo import api, fields, models

LINE_STATES = [("due", "To pay"), ("late", "Late"), ("missed", "Missed"), ("paid", "Paid")]


class AgencyPaymentPlanLine(models.Model):
    """One monthly payment of a payment plan: its date and amount. What is paid of it is never stored: it
    is derived from what is still owed on the plan's invoices (``agency.payment.plan._agency_progress``)."""

    _name = "agency.payment.plan.line"
    _description = "Payment Plan Payment"
    _order = "plan_id, date, sequence, id"

    plan_id = fields.Many2one("agency.payment.plan", required=True, ondelete="cascade", index=True, readonly=True)
    sequence = fields.Integer(default=10, readonly=True)
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Client")
    amount_paid = fields.Monetary(compute="_compute_progress", currency_field="currency_id", string="Paid")
    amount_left = fields.Monetary(compute="_compute_progress", currency_field="currency_id", string="Left To Pay")
    state = fields.Selection(LINE_STATES, compute="_compute_progress")
    notice_before_date = fields.Date(
        string="Note Sent", readonly=True, copy=False, help="When the friendly note before this payment was sent."
    )
    notice_missed_date = fields.Date(
        string="Missed Note Sent", readonly=True, copy=False, help="When the client was told this payment is late."
    )

    @api.depends("plan_id.invoice_ids.amount_residual", "amount", "date")
    @api.depends_context("date")
    def _compute_progress(self):
        progress = self.plan_id._agency_progress()
        for line in self:
            values = progress.get(line.plan_id.id, {}).get("lines", {}).get(line.id)
            if not values:
                line.amount_paid = line.amount_left = 0.0
                line.state = False
                continue
            line.amount_paid = values["paid"]
            line.amount_left = values["left"]
            line.state = values["state"]

    def _agency_autopay_key(self):
        """The key of this plan payment's automatic charges (``agency.autopay.charge.key``)."""
        self.ensure_one()
        return f"plan-line-{self.id}"
