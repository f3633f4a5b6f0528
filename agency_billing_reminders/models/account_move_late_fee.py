import logging

from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_late_fee_origin_id = fields.Many2one(
        "account.move",
        string="Late Fee For",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The overdue invoice this late-fee invoice is charged for.",
    )
    agency_late_fee_move_ids = fields.One2many(
        "account.move", "agency_late_fee_origin_id", string="Late Fee Invoices", readonly=True
    )
    agency_late_fee_ids = fields.One2many("agency.late.fee", "move_id", string="Late Fees Charged", readonly=True)
    agency_late_fee_charge_ids = fields.One2many(
        "agency.late.fee", "fee_move_id", string="Charges On This Invoice", readonly=True
    )
    agency_late_fee_count = fields.Integer(string="Late Fees", compute="_compute_agency_late_fee_count")
    agency_late_fee_waivable = fields.Boolean(compute="_compute_agency_late_fee_count")

    @api.depends("agency_late_fee_move_ids", "agency_late_fee_charge_ids.charged", "state")
    def _compute_agency_late_fee_count(self):
        for move in self:
            move.agency_late_fee_count = len(move.agency_late_fee_move_ids)
            move.agency_late_fee_waivable = move.state == "posted" and any(
                move.agency_late_fee_charge_ids.mapped("charged")
            )

    # ------------------------------------------------------------------
    # HOOK (EXTENDS agency_billing_reminders: the reminder run at a step that charges a fee)
    # ------------------------------------------------------------------

    def _agency_charge_late_fees(self, step, date):
        policy = step.cadence_id.late_fee_policy_id
        fees = super()._agency_charge_late_fees(step, date)
        if policy:
            fees |= self._agency_charge_late_fee(policy, date)
        return fees

    def _agency_late_fee_notes(self, step, date):
        policy = step.cadence_id.late_fee_policy_id
        notes = super()._agency_late_fee_notes(step, date)
        if policy:
            for move in self:
                note = policy.with_context(lang=move.partner_id.lang or self.env.lang)._agency_interest_gap(move, date)
                if note:
                    notes[move] = note
        return notes

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _agency_charge_late_fee(self, policy, date):
        """Charge ``policy`` on the overdue invoices of ``self`` on ``date``: one fee invoice per invoice with
        what was not charged before. Returns the fee invoices."""
        date = fields.Date.to_date(date)
        fee_moves = self.browse()
        to_charge = self.filtered_domain(self._agency_to_remind_domain()).filtered(
            lambda move: not move.agency_late_fee_origin_id  # no fee on a fee
        )
        for invoice in to_charge:
            if policy._agency_applies_to(invoice):
                fee_moves |= invoice._agency_charge_late_fee_once(policy, date)
        return fee_moves

    def _agency_charge_late_fee_once(self, policy, date):
        """The fee invoice of one overdue invoice, in a savepoint: a charge already made by a concurrent run
        (the unique key) or a policy that cannot compute (no reference rate) leaves nothing behind."""
        self.ensure_one()
        policy = policy.with_context(lang=self.partner_id.lang or self.env.lang)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                gap = policy._agency_interest_gap(self, date)
                if gap:
                    _logger.info("Late fee on %s: %s", self.name, gap)
                    self.message_post(body=self.env._("Late fee: %s.", gap), subtype_xmlid="mail.mt_note")
                charges = policy._agency_charges(self, date)
                if not charges:
                    return self.browse()
                fee_move = self.create(self._agency_late_fee_invoice_vals(policy, date, charges))
                self.env["agency.late.fee"].create(
                    [
                        {
                            "move_id": self.id,
                            "fee_move_id": fee_move.id,
                            "policy_id": policy.id,
                            "component": charge["component"],
                            "date_from": charge["date_from"],
                            "date_to": charge["date_to"],
                            "amount": charge["amount"],
                        }
                        for charge in charges
                    ]
                )
                self.env.flush_all()  # the unique key is checked here, before the fee invoice is posted
                if policy.auto_post:
                    fee_move.action_post()
                    if policy.send_invoices:
                        fee_move._agency_send_in_background()
        except UniqueViolation:
            _logger.info("Late fee on %s already charged by a concurrent run", self.name)
            return self.browse()
        except UserError as error:
            self.message_post(
                body=self.env._("No late fee could be charged: %s", error.args[0]), subtype_xmlid="mail.mt_note"
            )
            return self.browse()
        self.message_post(
            body=self.env._("Late fee charged: %s", fee_move._get_html_link()), subtype_xmlid="mail.mt_note"
        )
        return fee_move

    def _agency_receivable_lines(self):
        """The installments of the invoice (its receivable lines)."""
        return self.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def _agency_first_due_date(self):
        self.ensure_one()
        return min(self._agency_receivable_lines().mapped("date_maturity") or [self.invoice_date_due])

    def _agency_overdue_residual(self, date):
        """What is still due and not disputed on the installments due before ``date``, in the invoice's
        currency (no fee on a disputed amount)."""
        self.ensure_one()
        lines = self._agency_receivable_lines().filtered(lambda line: line.date_maturity < date)
        disputed = self._agency_disputed_installments(date)
        return sum(line.amount_residual_currency - disputed.get(line, 0.0) for line in lines)

    def _agency_late_fee_invoice_vals(self, policy, date, charges):
        taxes = self.fiscal_position_id.map_tax(policy.tax_ids)
        line_values = {"product_id": policy.product_id.id, "quantity": 1, "tax_ids": [Command.set(taxes.ids)]}
        if policy.account_id:
            line_values["account_id"] = policy.account_id.id
        values = {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_user_id": self.invoice_user_id.id,
            "invoice_date": date,
            "invoice_origin": self.name,
            "agency_late_fee_origin_id": self.id,
            "invoice_line_ids": [
                Command.create(dict(line_values, name=label, price_unit=amount))
                for charge in charges
                for label, amount in charge["lines"]
            ],
        }
        if policy.journal_id:
            values["journal_id"] = policy.journal_id.id
        return values

    def _agency_send_in_background(self):
        """Odoo's own background sending of invoices (``account.ir_cron_account_move_send``), as its batch
        *Send* does: the PDF and the mail are made after this transaction commits, once."""
        self.sending_data = {"author_user_id": self.env.user.id, "author_partner_id": self.env.user.partner_id.id}
        self.env.ref("account.ir_cron_account_move_send").sudo()._trigger()

    def _agency_waive_late_fee(self, reason):
        """Waive this late-fee invoice: a credit note for it (matched with it while it is unpaid), the reason
        in the chatter of both invoices. Returns the credit note."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Please give the reason for waiving the late fee."))
        if not self.agency_late_fee_waivable:
            raise UserError(self.env._("%s is not a posted late fee that can still be waived.", self.display_name))
        default = {
            "ref": self.env._("Late fee waived: %s", reason),
            "invoice_date": fields.Date.context_today(self),
        }
        credit_note = self._reverse_moves([default], cancel=self.payment_state == "not_paid")
        if credit_note.state == "draft":
            credit_note.action_post()
        self.agency_late_fee_charge_ids.write(
            {"charged": False, "waive_reason": reason, "refund_move_id": credit_note.id}
        )
        body = self.env._(
            "Late fee %(fee)s waived (credit note %(credit)s). Reason: %(reason)s",
            fee=self._get_html_link(),
            credit=credit_note._get_html_link(),
            reason=reason,
        )
        for move in self | self.agency_late_fee_origin_id:
            move.message_post(body=body, subtype_xmlid="mail.mt_note")
        return credit_note

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_agency_view_late_fees(self):
        self.ensure_one()
        return self._agency_late_fee_action([("agency_late_fee_origin_id", "=", self.id)])

    @api.model
    def _agency_late_fee_action(self, domain):
        """The customer invoices list, showing the late-fee invoices of ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update(
            domain=domain,
            context={"create": False, "default_move_type": "out_invoice"},
            name=self.env._("Late Fees"),
        )
        return action

    def action_agency_waive_late_fee(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Late Fee"),
            "res_model": "agency.late.fee.waive",
            "view_mode": "form",
            "target": "new",
            "context": {"default_fee_move_id": self.id},
        }
