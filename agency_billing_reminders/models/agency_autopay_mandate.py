from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

BATCH_SIZE = 50  # clients per committed batch of the scheduled charge run
# the fields only the customer's own consent (``_agency_autopay_turn_on``) sets
OFF_FIELDS = {"state", "off_user_id", "off_date", "off_reason"}
CONSENT_FIELDS = {"state", "token_id", "consent_user_id", "consent_date", "partner_id", "company_id"}


class AgencyAutopayMandate(models.Model):
    """A client's consent to be charged automatically, in one company, with one saved payment method.

    Only the customer turns it on (the portal, ``_agency_autopay_turn_on``); the customer or staff turn it
    off. What is charged on a day is decided in one place, ``_agency_autopay_items``.
    """

    _name = "agency.autopay.mandate"
    _description = "Autopay Mandate"
    _inherit = ["mail.thread"]
    _order = "partner_id, company_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    token_id = fields.Many2one("payment.token", string="Payment Method", readonly=True, ondelete="restrict")
    provider_id = fields.Many2one(related="token_id.provider_id")
    state = fields.Selection([("on", "On"), ("off", "Off")], default="off", required=True, readonly=True, tracking=True)
    consent_user_id = fields.Many2one("res.users", string="Turned On By", readonly=True)
    consent_date = fields.Datetime(string="Turned On", readonly=True)
    off_user_id = fields.Many2one("res.users", string="Turned Off By", readonly=True)
    off_date = fields.Datetime(string="Turned Off", readonly=True)
    off_reason = fields.Char(string="Why Off", readonly=True)
    max_amount = fields.Monetary(
        string="Ceiling",
        help="No automatic payment above this amount (in the company's currency); 0: no ceiling.",
        tracking=True,
    )
    charge_ids = fields.One2many("agency.autopay.charge", "mandate_id", string="Charges", readonly=True)

    _partner_company_unique = models.Constraint(
        "UNIQUE(partner_id, company_id)", "A client has one autopay setting per company."
    )
    _max_amount_positive = models.Constraint("CHECK(max_amount >= 0)", "The autopay ceiling cannot be negative.")

    # ------------------------------------------------------------------
    # CRUD: consent fields are the customer's
    # ------------------------------------------------------------------

    def write(self, vals):
        turning_off = vals.get("state", "off") == "off" and not set(vals) - OFF_FIELDS
        if CONSENT_FIELDS & set(vals) and not self.env.context.get("agency_autopay_consent") and not turning_off:
            raise UserError(self.env._("Only the client can turn autopay on, from its portal."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("agency_autopay_consent"):
            raise UserError(self.env._("Only the client can turn autopay on, from its portal."))
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # PUBLIC API: the customer's consent, staff's switch off
    # ------------------------------------------------------------------

    @api.model
    def _agency_autopay_turn_on(self, token_id, company_id):
        """The current user turns autopay on for its own client account in ``company_id`` with its saved
        payment method ``token_id`` (a record of its own client, of a provider of that company). Checks
        before any write; a UserError in the user's language otherwise, nothing saved."""
        partner = self.env.user.partner_id.commercial_partner_id
        if not self._agency_autopay_may_consent(partner):
            raise UserError(self.env._("Autopay is turned on by a contact who sees all of the client's invoices."))
        token = self._agency_autopay_check_token(partner, token_id, company_id)
        mandate = self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", token.company_id.id)])
        values = {
            "token_id": token.id,
            "state": "on",
            "consent_user_id": self.env.user.id,
            "consent_date": fields.Datetime.now(),
            "off_user_id": False,
            "off_date": False,
            "off_reason": False,
        }
        mandate = mandate.with_context(agency_autopay_consent=True)
        if mandate:
            mandate.write(values)
        else:
            mandate = mandate.create({"partner_id": partner.id, "company_id": token.company_id.id, **values})
        mandate.message_post(
            body=self.env._(
                "Autopay turned on by %(user)s with %(method)s.", user=self.env.user.name, method=token.display_name
            )
        )
        return mandate.with_env(self.env)

    @api.model
    def _agency_autopay_may_consent(self, partner):
        """Whether the current user may consent for its client ``partner`` (the portal narrows it)."""
        return bool(partner)

    @api.model
    def _agency_autopay_check_token(self, partner, token_id, company_id):
        """The saved payment method ``token_id`` if ``partner`` may be charged with it in ``company_id``."""
        refused = UserError(self.env._("This payment method cannot be used for autopay: choose or save another one."))
        if not isinstance(token_id, int) or isinstance(token_id, bool):
            raise refused
        if not isinstance(company_id, int) or isinstance(company_id, bool):
            raise refused
        token = self.env["payment.token"].sudo().browse(token_id).exists()
        if not token or not token.active or token.partner_id.commercial_partner_id != partner:
            raise refused
        if token.provider_id.company_id.id != company_id or token.provider_id.state == "disabled":
            raise UserError(
                self.env._("This payment method belongs to another company's payments: save one for this account.")
            )
        return token

    @api.model
    def _agency_autopay_portal_values(self, company):
        """What the current user's *My account* shows of autopay in ``company``: its saved payment methods
        of that company's providers, its mandate (if any) and the plain words on what is charged when."""
        partner = self.env.user.partner_id.commercial_partner_id
        mandate = self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        tokens = (
            self.env["payment.token"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("provider_id.company_id", "=", company.id),
                    ("provider_id.state", "!=", "disabled"),
                ]
            )
        )
        return {
            "company": company,
            "mandate": mandate,
            "on": mandate.state == "on",
            "tokens": tokens,
            "sentence": self._agency_autopay_sentence_for(company, mandate.max_amount),
        }

    @api.model
    def _agency_autopay_portal_turn_off(self, company_id):
        """The current user turns autopay off for its own client account in ``company_id``."""
        partner = self.env.user.partner_id.commercial_partner_id
        company_id = company_id if isinstance(company_id, int) and not isinstance(company_id, bool) else 0
        mandate = self.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company_id), ("state", "=", "on")]
        )
        mandate._agency_autopay_turn_off(self.env._("turned off by the client"))
        return mandate.with_env(self.env)

    def action_turn_off(self):
        """Staff: take the client off autopay (only the client turns it on again)."""
        self.check_access("write")
        self.filtered(lambda mandate: mandate.state == "on").sudo()._agency_autopay_turn_off(
            self.env._("turned off by %s", self.env.user.name)
        )
        return True

    def _agency_autopay_turn_off(self, reason):
        for mandate in self.filtered(lambda mandate: mandate.state == "on"):
            mandate.write(
                {
                    "state": "off",
                    "off_user_id": self.env.user.id,
                    "off_date": fields.Datetime.now(),
                    "off_reason": reason,
                }
            )
            mandate.message_post(body=self.env._("Autopay turned off: %s", reason))

    # ------------------------------------------------------------------
    # BUSINESS: what autopay charges on a day (THE one place)
    # ------------------------------------------------------------------

    @api.model
    def _agency_autopay_sentence_for(self, company, max_amount=0.0):
        """The plain words the customer reads before turning autopay on."""
        days = company.agency_autopay_days_before
        when = self.env._("on its due date") if not days else self.env._("%s days before its due date", days)
        sentence = self.env._(
            "Each open invoice of %(company)s is charged to this payment method %(when)s, for what is due on it "
            "(invoices already due: at the next run); you get a receipt each time and can turn this off at any time.",
            company=company.name,
            when=when,
        )
        if max_amount:
            sentence += " " + self.env._(
                "Nothing above %s is charged automatically.", format_amount(self.env, max_amount, company.currency_id)
            )
        return sentence

    def _agency_autopay_items(self, date):
        """What autopay charges on ``date``: one item per installment of an invoice due by then (the
        company's *days before* taken into account) of the clients of these mandates (default: all on).

        Returns a list of ``{"key", "mandate", "company", "partner", "moves", "amount", "currency",
        "due_date"}``, the amount in the invoice's currency. Left out: paid, in payment, blocked (disputed)
        invoices, invoices or clients on hold (``agency.reminder.hold``), invoices with an online payment on
        its way, a mandate whose payment method is gone or of another company, amounts above the client's
        ceiling; a disputed section is left out of the amount. Whether an item is tried today (retries) is
        the charge's business (``agency.autopay.charge._agency_autopay_due``).

        Inheriting modules may replace or add items (same keys; ``key`` unique per thing paid).
        """
        date = fields.Date.to_date(date)
        mandates = self if self else self.search([("state", "=", "on")])
        mandates = mandates.filtered(
            lambda mandate: (
                mandate.state == "on"
                and mandate.token_id.active
                and mandate.token_id.provider_id.company_id == mandate.company_id
            )
        )
        if not mandates:
            return []
        lines = self._agency_autopay_lines(mandates, date)
        if not lines:
            return []
        by_client = {(mandate.partner_id.id, mandate.company_id.id): mandate for mandate in mandates}
        moves = lines.move_id
        disputed = moves._agency_disputed_installments(date)
        pending = self.env["res.partner"]._agency_reminder_pending_payments(moves)
        Hold = self.env["agency.reminder.hold"].sudo()
        holds = Hold.search_fetch(
            Hold._agency_active_domain(date) & Domain("partner_id", "in", mandates.partner_id.ids),
            ["partner_id", "move_id", "section_line_id", "kind"],
        )
        held_moves = set(holds.filtered(lambda hold: hold.move_id and not hold.section_line_id).move_id.ids)
        held_clients = {hold.partner_id.id for hold in holds if not hold.move_id}
        items = []
        for line in lines:
            mandate = by_client.get((line.partner_id.id, line.company_id.id))
            move = line.move_id
            if not mandate or move.id in pending or move.id in held_moves or line.partner_id.id in held_clients:
                continue
            currency = line.currency_id
            amount = currency.round(line.amount_residual_currency - disputed.get(line, 0.0))
            if currency.compare_amounts(amount, 0) <= 0 or mandate._agency_autopay_above_ceiling(
                amount, currency, date
            ):
                continue
            items.append(
                {
                    "key": self._agency_autopay_line_key(line),
                    "mandate": mandate,
                    "company": line.company_id,
                    "partner": line.partner_id,
                    "moves": move,
                    "amount": amount,
                    "currency": currency,
                    "due_date": line.date_maturity,
                }
            )
        return items

    @api.model
    def _agency_autopay_line_key(self, line):
        return f"aml-{line.id}"

    @api.model
    def _agency_autopay_lines(self, mandates, date):
        """The unpaid installments of open invoices of these mandates' clients and companies charged by
        ``date`` (due by then, less the company's days before)."""
        Line = self.env["account.move.line"]
        horizon = max(mandates.company_id.mapped("agency_autopay_days_before") or [0])
        domain = Line._agency_due_lines_domain(date + timedelta(days=horizon + 1)) & Domain(
            [("partner_id", "in", mandates.partner_id.ids), ("company_id", "in", mandates.company_id.ids)]
        )
        lines = Line.sudo().search_fetch(
            domain,
            ["move_id", "partner_id", "company_id", "date_maturity", "amount_residual_currency", "currency_id"],
            order="date_maturity, id",
        )
        return lines.filtered(
            lambda line: (
                line.date_maturity - timedelta(days=line.company_id.agency_autopay_days_before) <= date
                and line.move_id.payment_state not in ("paid", "in_payment", "blocked", "reversed")
            )
        )

    def _agency_autopay_above_ceiling(self, amount, currency, date):
        self.ensure_one()
        if not self.max_amount:
            return False
        amount = currency._convert(amount, self.currency_id, self.company_id, date)
        return self.currency_id.compare_amounts(amount, self.max_amount) > 0

    @api.model
    def _agency_autopay_reminder_reasons(self, lines, date):
        """Why reminders of these installments wait for autopay: ``{line_id: reason}`` for those with an
        automatic payment scheduled (the client on autopay, the installment within what it charges, or a
        retry planned) or on its way; none after the last failed try (the cadence takes over)."""
        if not lines:
            return {}
        mandates = self.sudo().search(
            [
                ("state", "=", "on"),
                ("partner_id", "in", lines.partner_id.ids),
                ("company_id", "in", lines.company_id.ids),
            ]
        )
        if not mandates:
            return {}
        by_client = {(mandate.partner_id.id, mandate.company_id.id): mandate for mandate in mandates}
        keys = {self._agency_autopay_line_key(line): line for line in lines}
        last = self.env["agency.autopay.charge"]._agency_autopay_last_charges(list(keys))
        reasons = {}
        for key, line in keys.items():
            mandate = by_client.get((line.partner_id.id, line.company_id.id))
            if not mandate or not mandate.token_id.active:
                continue
            charge = last.get(key)
            when = False
            if charge and charge.state in ("sending", "pending"):
                reasons[line.id] = self.env._("automatic payment in progress")
                continue
            if charge and charge.state == "failed":
                when = charge.next_try
            elif not charge or charge.state == "cancel":
                if mandate._agency_autopay_above_ceiling(line.amount_residual_currency, line.currency_id, date):
                    continue
                days = line.company_id.agency_autopay_days_before
                when = max(line.date_maturity - timedelta(days=days), date)
            if when:
                reasons[line.id] = self.env._("automatic payment scheduled on %s", format_date(self.env, when))
        return reasons

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_agency_autopay(self, date_ref=None):
        """Charge what autopay charges on ``date_ref`` (default: today), a batch of clients per commit.
        Safe to run as often as wanted and by two workers at once (``agency.autopay.charge``)."""
        date = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        return self.env["agency.autopay.charge"]._agency_autopay_run(date, batch_size=BATCH_SIZE)
