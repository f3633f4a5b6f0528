from odoo import api, fields, models
from odoo.fields import Command

from ..models.agency_billing_run_line import LINE_STATES, SKIP_REASONS, change_percent

# what a preview line shows of a run line's values (``agency.billing.run._plan_to_line_vals``)
PREVIEW_FIELDS = ("partner_id", "state", "reason", "message", "currency_id", "amount", "previous_amount", "po_refs")


class AgencyBillingRunWizard(models.TransientModel):
    """Start a billing run: pick the date and, if wanted, the clients; preview; then bill.

    The preview is computed without saving anything: no billing run exists until the user bills
    (or keeps the preview as a draft run with *Save as Draft*).
    """

    _name = "agency.billing.run.wizard"
    _description = "Start a Billing Run"

    date = fields.Date(string="Invoice Date", required=True, default=fields.Date.context_today)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        domain=[("agency_billing_policy", "!=", False), ("parent_id", "=", False)],
        help="Leave empty to bill every client with a billing policy.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([("new", "New"), ("previewed", "Previewed")], default="new", required=True)
    line_ids = fields.One2many("agency.billing.run.wizard.line", "wizard_id", string="Clients")
    amount_total = fields.Monetary(compute="_compute_totals", string="Amount to Bill")
    to_bill_count = fields.Integer(compute="_compute_totals")
    skipped_count = fields.Integer(compute="_compute_totals")

    @api.depends("line_ids.state", "line_ids.amount")
    def _compute_totals(self):
        for wizard in self:
            to_bill = wizard.line_ids.filtered(lambda line: line.state == "to_bill")
            wizard.amount_total = sum(to_bill.mapped("amount"))
            wizard.to_bill_count = len(to_bill)
            wizard.skipped_count = len(wizard.line_ids.filtered(lambda line: line.state == "skipped"))

    def _run_values(self):
        return {"date": self.date, "partner_ids": [Command.set(self.partner_ids.ids)], "company_id": self.company_id.id}

    def action_preview(self):
        """What the run would bill, client by client, computed on an unsaved run."""
        self.ensure_one()
        run = self.env["agency.billing.run"].with_company(self.company_id).new(self._run_values())
        run._check_can_bill()
        lines = [{name: vals[name] for name in PREVIEW_FIELDS} for vals in run._agency_preview_values()]
        self.write({"line_ids": [Command.clear()] + [Command.create(vals) for vals in lines], "state": "previewed"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bill Clients"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def action_bill(self):
        """Create the billing run and bill it (planned again: what changed since the preview counts)."""
        self.ensure_one()
        run = self.env["agency.billing.run"].create(self._run_values())
        run.action_bill()
        return self._open_run(run)

    def action_save(self):
        """Keep the preview as a draft billing run, to bill later from Billing Runs."""
        self.ensure_one()
        run = self.env["agency.billing.run"].create(self._run_values())
        run.action_preview()
        return self._open_run(run)

    def _open_run(self, run):
        return {
            "type": "ir.actions.act_window",
            "res_model": "agency.billing.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }


class AgencyBillingRunWizardLine(models.TransientModel):
    """A client in the preview of *Bill Clients*: what it would be billed, or why it is left out."""

    _name = "agency.billing.run.wizard.line"
    _description = "Billing Preview Client"
    _order = "state desc, partner_id, id"  # to bill, left out, failed

    wizard_id = fields.Many2one("agency.billing.run.wizard", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    state = fields.Selection(LINE_STATES, required=True, default="to_bill")
    reason = fields.Selection(SKIP_REASONS)
    message = fields.Text()
    currency_id = fields.Many2one("res.currency", required=True)
    amount = fields.Monetary(string="Amount (untaxed)")
    previous_amount = fields.Monetary(string="Last Period")
    change_percent = fields.Float(string="Change (%)", compute="_compute_change_percent")
    po_refs = fields.Char(string="PO")

    @api.depends("amount", "previous_amount")
    def _compute_change_percent(self):
        for line in self:
            line.change_percent = change_percent(line.amount, line.previous_amount)
