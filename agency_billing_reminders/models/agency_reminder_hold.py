from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

HOLD_KINDS = [
    ("pause", "Paused"),
    ("promise", "Promise to pay"),
    ("dispute", "Disputed"),
    ("paid_claim", "Says it has paid"),
]

# "I have paid": that invoice's reminders wait this long for the money to arrive
PAID_CLAIM_DAYS = 5


class AgencyReminderHold(models.Model):
    """What suspends reminders: a pause, a promise to pay, a dispute or a claim of payment, raised by staff
    or by the client from the portal, on one invoice (or one project section of it) or on the whole client."""

    _name = "agency.reminder.hold"
    _description = "Reminder Hold"
    _order = "create_date desc, id desc"
    _rec_name = "kind"

    kind = fields.Selection(HOLD_KINDS, required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, readonly=True, index=True, ondelete="cascade"
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="Empty: the whole client.",
    )
    section_line_id = fields.Many2one(
        "account.move.line",
        string="Project Section",
        readonly=True,
        ondelete="cascade",
        help="Only this section of the invoice is disputed: the rest is still reminded.",
    )
    company_id = fields.Many2one(related="move_id.company_id")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    date_from = fields.Date(
        string="Since",
        readonly=True,
        default=fields.Date.context_today,
        help="The day it was raised: a disputed amount is neither chased nor charged from that day on.",
    )
    date_until = fields.Date(string="Until", readonly=True)
    reason = fields.Text(readonly=True)
    reference = fields.Char(readonly=True, help="The payment reference given by the client.")
    origin = fields.Selection([("staff", "Staff"), ("portal", "Client (portal)")], required=True, readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("expired", "Expired")],
        default="open",
        required=True,
        readonly=True,
        index=True,
    )
    resolved_uid = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolved_date = fields.Datetime(readonly=True)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _agency_active_domain(self, date=None):
        """Holds in force on ``date``: open, and not past their end date."""
        date = date or fields.Date.context_today(self)
        return Domain("state", "=", "open") & (Domain("date_until", "=", False) | Domain("date_until", ">=", date))

    @api.model
    def _agency_disputes_on(self, moves, date=None):
        """The disputes of ``moves`` in force on ``date`` (default: now): raised that day or before, and
        not resolved by then."""
        disputes = self.sudo().search_fetch(
            [("kind", "=", "dispute"), ("move_id", "in", moves.ids), ("state", "in", ("open", "resolved"))],
            ["move_id", "section_line_id", "state", "date_from", "resolved_date"],
        )
        if not date:
            return disputes.filtered(lambda hold: hold.state == "open")
        date = fields.Date.to_date(date)
        return disputes.filtered(
            lambda hold: (
                hold.date_from <= date
                and (hold.state == "open" or (hold.resolved_date and hold.resolved_date.date() > date))
            )
        )

    @api.model
    def _agency_dispute_days(self, moves):
        """The days on which a dispute of ``moves`` started or ended (for the interest periods)."""
        disputes = self.sudo().search_fetch(
            [("kind", "=", "dispute"), ("move_id", "in", moves.ids), ("state", "in", ("open", "resolved"))],
            ["date_from", "resolved_date"],
        )
        days = {hold.date_from for hold in disputes}
        days |= {hold.resolved_date.date() for hold in disputes if hold.resolved_date}
        return days

    def _agency_describe(self):
        """Why reminders wait, in the user's words: "promise to pay until 2026-12-05"."""
        self.ensure_one()
        labels = {
            "pause": self.env._("paused until %(date)s"),
            "promise": self.env._("promise to pay until %(date)s"),
            "dispute": self.env._("disputed"),
            "paid_claim": self.env._("client says it has paid (waiting until %(date)s)"),
        }
        return labels[self.kind] % {"date": format_date(self.env, self.date_until) if self.date_until else ""}

    @api.model
    def _agency_create_hold(self, record, kind, values, message, origin):
        """Create a hold of ``kind`` on ``record`` (an invoice or a client), tell the chatter and the
        salesperson. The caller has validated the input."""
        if origin not in ("staff", "portal"):
            raise ValidationError(self.env._("Unknown origin of a reminder hold: %s", origin))
        is_move = record._name == "account.move"
        partner = record.commercial_partner_id
        hold = self.sudo().create(
            {
                "kind": kind,
                "partner_id": partner.id,
                "move_id": record.id if is_move else False,
                "origin": origin,
                **values,
            }
        )
        record.message_post(body=message, subtype_xmlid="mail.mt_note")
        responsible = self._agency_responsible(record, partner, origin)
        if responsible:
            record.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Reminders: %s", hold._agency_describe()),
                note=message,
            )
        return hold.sudo(self.env.su)

    @api.model
    def _agency_responsible(self, record, partner, origin):
        """Who at the agency follows a hold up: the invoice's (or client's) salesperson; for what a
        customer raised from the portal with no salesperson, whoever made the invoice or the admin,
        never the customer. Staff raising a hold for a client without salesperson follow it up themselves."""
        salesperson = (record.invoice_user_id if record._name == "account.move" else record.user_id) or partner.user_id
        if salesperson or origin != "portal":
            return salesperson
        creator = record.sudo().create_uid
        return creator if creator and not creator.share else self.env.ref("base.user_admin", raise_if_not_found=False)

    def action_resolve(self):
        """Lift the hold: reminders resume (a disputed invoice is unblocked)."""
        for hold in self.filtered(lambda hold: hold.state == "open"):
            if hold.kind == "dispute" and not hold.section_line_id and hold.move_id.payment_state == "blocked":
                hold.move_id.action_toggle_block_payment()
            hold.sudo().write(
                {"state": "resolved", "resolved_uid": self.env.uid, "resolved_date": fields.Datetime.now()}
            )
            (hold.move_id or hold.partner_id).message_post(
                body=self.env._("Reminders resume: %s is resolved.", hold._agency_describe()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _agency_expire_holds(self, date):
        """Holds whose end date has passed become expired."""
        expired = self.sudo().search([("state", "=", "open"), ("date_until", "<", date)])
        expired.write({"state": "expired"})
        return expired

    @api.model
    def _agency_check_future_date(self, date, label):
        date = fields.Date.to_date(date) if date else False
        if not date:
            raise ValidationError(self.env._("Please give the date of the %s.", label))
        if date < fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "The date of the %(what)s (%(date)s) is in the past.", what=label, date=format_date(self.env, date)
                )
            )
        return date

    @api.model
    def _agency_paid_claim_until(self):
        return fields.Date.context_today(self) + timedelta(days=PAID_CLAIM_DAYS)

    @api.model
    def _agency_check_reason(self, reason):
        if not (reason or "").strip():
            raise ValidationError(self.env._("Please give a reason."))
        return reason.strip()

    @api.model
    def _agency_check_open_invoice(self, moves):
        """The invoice must be one posted customer invoice still owed."""
        if len(moves) != 1:
            raise UserError(self.env._("Please choose one invoice."))
        if not moves.filtered_domain(moves._agency_open_domain() & Domain("move_type", "!=", "out_refund")):
            raise ValidationError(
                self.env._("The invoice %s is not open (paid, cancelled or not posted): nothing to hold.", moves.name)
            )
