from odoo import fields, models

FEE_COMPONENTS = [
    ("fee", "Late fee"),
    ("interest", "Interest"),
    ("compensation", "Recovery compensation"),
]


class AgencyLateFee(models.Model):
    """One charge of a late-fee policy on one overdue invoice for one period, and the fee invoice it is on.

    The key (invoice, component, first day of the period) is unique: a fee is charged once per invoice and
    period, whatever retries or concurrent runs do. A waived fee keeps its record, so it is not charged again.
    """

    _name = "agency.late.fee"
    _description = "Late Fee Charge"
    _order = "date_to desc, id desc"
    _rec_name = "fee_move_id"

    move_id = fields.Many2one(
        "account.move", string="Overdue Invoice", required=True, ondelete="restrict", index=True, readonly=True
    )
    fee_move_id = fields.Many2one(
        "account.move", string="Fee Invoice", required=True, ondelete="cascade", index=True, readonly=True
    )
    policy_id = fields.Many2one("agency.late.fee.policy", ondelete="restrict", readonly=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Client", store=True, index=True, readonly=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="move_id.currency_id", readonly=True)
    component = fields.Selection(FEE_COMPONENTS, required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    amount = fields.Monetary(readonly=True)
    charged = fields.Boolean(default=True, readonly=True, help="Unticked when the fee is waived.")
    waive_reason = fields.Text(readonly=True)
    refund_move_id = fields.Many2one("account.move", string="Waiver Credit Note", readonly=True, ondelete="set null")

    _key_unique = models.Constraint(
        "UNIQUE(move_id, component, date_from)", "This late fee was already charged for this invoice and period."
    )
