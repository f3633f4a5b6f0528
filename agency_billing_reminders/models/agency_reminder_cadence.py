from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.agency_billing.models.res_partner import CLIENT_PROFILES


class AgencyReminderCadence(models.Model):
    _name = "agency.reminder.cadence"
    _description = "Reminder Cadence"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", help="Empty: shared by every company.")
    client_profile = fields.Selection(
        CLIENT_PROFILES,
        string="Default for Profile",
        help="Clients of this profile follow this cadence unless they are given their own.",
    )
    step_ids = fields.One2many("agency.reminder.step", "cadence_id", string="Steps", copy=True)
    min_gap_days = fields.Integer(
        string="Days Between Messages",
        default=5,
        help="Minimum number of days between two reminders to the same client.",
    )
    minimum_amount = fields.Float(
        digits="Account",
        help="Nothing is sent while what is due by the client is below this amount (in the company's currency).",
    )
    note = fields.Text(translate=True)

    _min_gap_days_positive = models.Constraint(
        "CHECK(min_gap_days >= 0)", "The days between two messages cannot be negative."
    )
    _minimum_amount_positive = models.Constraint(
        "CHECK(minimum_amount >= 0)", "The minimum amount of a reminder cannot be negative."
    )

    @api.constrains("step_ids")
    def _check_steps_in_order(self):
        """Steps follow each other in time: their order is the order of their days. The message names the
        first step out of place and the one before it."""
        for cadence in self:
            steps = cadence.step_ids.sorted(lambda step: (step.sequence, step.id))
            for previous, step in pairwise(steps):
                if step.days < previous.days:
                    raise ValidationError(
                        self.env._(
                            "The steps of the cadence “%(cadence)s” are out of order: “%(step)s” (%(days)s days "
                            "from the due date) comes after “%(previous)s” (%(previous_days)s days). Each step must "
                            "come after the one before it: move “%(step)s” up or give it more days.",
                            cadence=cadence.name,
                            step=step.name,
                            days=step.days,
                            previous=previous.name,
                            previous_days=previous.days,
                        )
                    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _agency_cadence_for(self, partners, company=None):
        """The cadence of each client in ``company`` (default: the current one): its own, else its
        profile's, among the cadences of that company or of every company (the company's own first).
        A client's own cadence of another company does not apply. Returns ``{partner_id: cadence}``."""
        company = company or self.env.company
        partners = partners.commercial_partner_id
        defaults = {}
        cadences = self.search(
            [("client_profile", "!=", False), ("company_id", "in", (company.id, False))], order="sequence, id"
        )
        for cadence in cadences.sorted(lambda cadence: not cadence.company_id):  # stable: sequence kept
            defaults.setdefault(cadence.client_profile, cadence)
        empty = self.browse()
        result = {}
        for partner in partners:
            own = partner.agency_reminder_cadence_id
            if own and own.company_id and own.company_id != company:
                own = empty
            result[partner.id] = own or defaults.get(partner.agency_client_profile, empty)
        return result

    def _agency_step_reached(self, days_late):
        """The most advanced step reached ``days_late`` days after the due date (negative: before it)."""
        self.ensure_one()
        reached = self.step_ids.filtered(lambda step: step.days <= days_late)
        return reached.sorted("days")[-1:] if reached else reached

    def _agency_lead_days(self):
        """How many days before a due date the earliest step of these cadences acts."""
        return max([0] + [-step.days for step in self.step_ids])
