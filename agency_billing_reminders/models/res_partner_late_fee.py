from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    agency_late_fee_count = fields.Integer(string="Late Fees", compute="_compute_agency_late_fee_count")

    def _compute_agency_late_fee_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [
                    ("agency_late_fee_origin_id", "!=", False),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.agency_late_fee_count = counts.get(partner.commercial_partner_id, 0)

    def action_agency_view_late_fees(self):
        self.ensure_one()
        self.check_access("read")  # reachable by RPC: nothing of a record one may not read
        return self.env["account.move"]._agency_late_fee_action(
            [
                ("agency_late_fee_origin_id", "!=", False),
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ]
        )
