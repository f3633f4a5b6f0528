from odoo import fields, models


class AgencyReminderCadence(models.Model):
    """The payment plans a client of this profile may choose (see ``agency.payment.plan``)."""

    _inherit = "agency.reminder.cadence"

    plan_max_months = fields.Integer(
        string="Plan: At Most (Payments)",
        default=6,
        help="How many monthly payments a client may choose from the portal. 0: no payment plan from the portal.",
    )
    plan_min_amount = fields.Float(
        string="Plan: Minimum Per Payment",
        digits="Account",
        default=50.0,
        help="No payment of a plan below this amount (in the company's currency).",
    )
    plan_first_now = fields.Boolean(
        string="Plan: First Payment At Once",
        default=True,
        help="The first payment of a plan is due the day it is made; otherwise a month later.",
    )
    plan_auto_months = fields.Integer(
        string="Plan: Accepted At Once Up To (Payments)",
        default=3,
        help="A plan of at most this many payments is accepted at once; a longer one waits for billing staff.",
    )
    plan_auto_amount = fields.Float(
        string="Plan: Accepted At Once Up To (Amount)",
        digits="Account",
        default=5000.0,
        help="A plan of at most this total (in the company's currency) is accepted at once; a larger one waits "
        "for billing staff. 0: any amount.",
    )
    plan_grace_days = fields.Integer(
        string="Plan: Grace Days",
        default=5,
        help="Days after a plan payment's date before the plan is broken for want of it.",
    )
    plan_fees_from_original = fields.Boolean(
        string="Plan: Fees From The Original Dates",
        help="When a plan is broken, late fees count from the invoices' own due dates; otherwise from the day "
        "the plan was broken. While a plan is kept, no late fee runs.",
    )

    _plan_max_months_positive = models.Constraint(
        "CHECK(plan_max_months >= 0 AND plan_max_months <= 60)", "A payment plan has between 0 and 60 payments."
    )
    _plan_auto_months_positive = models.Constraint(
        "CHECK(plan_auto_months >= 0)", "The payments of a plan accepted at once cannot be negative."
    )
    _plan_amounts_positive = models.Constraint(
        "CHECK(plan_min_amount >= 0 AND plan_auto_amount >= 0 AND plan_grace_days >= 0)",
        "The amounts and grace days of payment plans cannot be negative.",
    )
