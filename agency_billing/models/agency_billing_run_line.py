from odoo import api, fields, models

SKIP_REASONS = [
    ("nothing_to_bill", "Nothing to bill"),
    ("po_missing", "PO missing"),
    ("credit_limit", "Credit limit exceeded"),
    ("on_hold", "Client on hold"),
    ("pilot", "Free pilot"),
    ("already_billed", "Already billed"),
    ("locked", "Being billed by another run"),
    ("lock_date", "Period locked"),
    ("error", "Error"),
]

LINE_STATES = [("to_bill", "To Bill"), ("billed", "Billed"), ("skipped", "Left Out"), ("failed", "Failed")]


def change_percent(amount, previous):
    """The change of ``amount`` versus the last period's ``previous``, in percent (0 without one)."""
    return ((amount - previous) / previous * 100) if previous else 0.0


class AgencyBillingRunLine(models.Model):
    """A client in a billing run: what it is (or was) billed, or why it is left out."""

    _name = "agency.billing.run.line"
    _description = "Billing Run Client"
    _order = "run_id desc, state, partner_id"

    run_id = fields.Many2one("agency.billing.run", required=True, ondelete="cascade", index=True)
    run_period = fields.Char(related="run_id.period", store=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True)
    state = fields.Selection(LINE_STATES, required=True, default="to_bill")
    reason = fields.Selection(SKIP_REASONS)
    message = fields.Text()
    key = fields.Char(string="Billing Key", index=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True)
    amount = fields.Monetary(string="Amount (untaxed)")
    previous_amount = fields.Monetary(string="Last Period")
    change_percent = fields.Float(string="Change (%)", compute="_compute_change_percent")
    po_refs = fields.Char(string="PO")
    sale_line_ids = fields.Many2many("sale.order.line", string="Order Lines")
    invoice_id = fields.Many2one("account.move", readonly=True, index="btree_not_null")

    @api.depends("amount", "previous_amount")
    def _compute_change_percent(self):
        for line in self:
            line.change_percent = change_percent(line.amount, line.previous_amount)
