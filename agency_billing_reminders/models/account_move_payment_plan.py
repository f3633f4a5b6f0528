from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_payment_plan_ids = fields.Many2many(
        "agency.payment.plan", string="Payment Plans", compute="_compute_agency_payment_plan_ids"
    )

    def _compute_agency_payment_plan_ids(self):
        plans = self.env["agency.payment.plan"].search([("invoice_ids", "in", self.ids)])
        for move in self:
            move.agency_payment_plan_ids = plans.filtered(lambda plan, move=move: move in plan.invoice_ids)

    def _agency_active_payment_plan(self):
        """The running payment plan of this invoice, if any (``agency.payment.plan._agency_plan_for_moves``)."""
        self.ensure_one()
        return (
            self.env["agency.payment.plan"]._agency_plan_for_moves(self).get(self.id) or self.env["agency.payment.plan"]
        )


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_agency_payment_plan_wizard(self):
        """Staff's *Propose a payment plan*: the client's open invoices, to pay in monthly payments."""
        self.ensure_one()
        self.check_access("read")  # reachable by RPC: nothing of a record one may not read
        self.env["agency.payment.plan"]._agency_check_staff()
        partner = self.commercial_partner_id
        invoices = self.env["agency.payment.plan"]._agency_plan_candidates(partner)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing_reminders.action_agency_payment_plan_wizard"
        )
        action["context"] = {"default_partner_id": partner.id, "default_invoice_ids": invoices.ids}
        return action
