from odoo import fields, models


class AgencyLateFeeWaive(models.TransientModel):
    _name = "agency.late.fee.waive"
    _description = "Waive a Late Fee"

    fee_move_id = fields.Many2one("account.move", string="Late Fee", required=True, readonly=True)
    reason = fields.Text(required=True, help="Written in the chatter of the fee and of the overdue invoice.")

    def action_waive(self):
        self.ensure_one()
        credit_note = self.fee_move_id._agency_waive_late_fee(self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": credit_note.id,
            "view_mode": "form",
        }
