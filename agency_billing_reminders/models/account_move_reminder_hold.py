from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_reminder_hold_ids = fields.One2many("agency.reminder.hold", "move_id", string="Reminder Holds")

    # ------------------------------------------------------------------
    # BUSINESS: the disputed amount (EXTENDS agency_billing)
    # ------------------------------------------------------------------

    def _agency_disputed_amounts(self, date=None):
        """EXTENDS agency_billing: the disputes raised on these invoices and in force on ``date`` count
        from the day they were raised until they are resolved: the whole invoice (what was still due), or
        each project section disputed (its total, taxes included), once even if disputed twice."""
        amounts = super()._agency_disputed_amounts(date)
        holds = self.env["agency.reminder.hold"]._agency_disputes_on(self, date)
        for move, move_holds in holds.grouped("move_id").items():
            if move in amounts:
                continue
            residual = move._agency_residual_on(date)
            if move_holds.filtered(lambda hold: not hold.section_line_id):
                disputed = residual
            else:
                disputed = sum(section._agency_section_total() for section in move_holds.section_line_id)
            disputed = min(disputed, residual)
            if move.currency_id.compare_amounts(disputed, 0) > 0:
                amounts[move] = disputed
        return amounts

    # ------------------------------------------------------------------
    # PUBLIC API: what suspends the reminders of an invoice (staff back office and the portal)
    # ------------------------------------------------------------------

    def _agency_promise_to_pay(self, date, amount=None, note=None, origin="staff"):
        """The client promises to pay this invoice by ``date`` (``amount``: part of it): no reminder until then."""
        Hold = self.env["agency.reminder.hold"]
        Hold._agency_check_open_invoice(self)
        date = Hold._agency_check_future_date(date, self.env._("promise to pay"))
        if amount is not None and amount is not False:
            if amount <= 0:
                raise ValidationError(self.env._("The promised amount must be more than zero."))
            if self.currency_id.compare_amounts(amount, self.amount_residual) > 0:
                raise ValidationError(
                    self.env._(
                        "The promised amount (%(amount)s) is more than what is due on %(invoice)s (%(due)s).",
                        amount=format_amount(self.env, amount, self.currency_id),
                        invoice=self.name,
                        due=format_amount(self.env, self.amount_residual, self.currency_id),
                    )
                )
        message = self.env._("Promise to pay by %(date)s.", date=format_date(self.env, date))
        if amount:
            message = self.env._(
                "Promise to pay %(amount)s by %(date)s.",
                amount=format_amount(self.env, amount, self.currency_id),
                date=format_date(self.env, date),
            )
        if note:
            message = f"{message} {note}"
        return Hold._agency_create_hold(
            self, "promise", {"date_until": date, "amount": amount or 0.0, "reason": note}, message, origin
        )

    def _agency_dispute(self, reason, section_line=None, origin="staff"):
        """The client disputes this invoice (Odoo's "blocked" payment state) or one project section of it
        (the rest of the invoice is still reminded)."""
        Hold = self.env["agency.reminder.hold"]
        Hold._agency_check_open_invoice(self)
        reason = Hold._agency_check_reason(reason)
        values = {"reason": reason}
        if section_line:
            if section_line.move_id != self or section_line.display_type != "line_section":
                raise ValidationError(self.env._("Please choose a project section of the invoice %s.", self.name))
            values["section_line_id"] = section_line.id
            message = self.env._("Section “%(section)s” disputed: %(reason)s", section=section_line.name, reason=reason)
        else:
            if self.payment_state != "blocked":
                self.sudo().action_toggle_block_payment()
            message = self.env._("Invoice disputed, reminders stop: %s", reason)
        return Hold._agency_create_hold(self, "dispute", values, message, origin)

    def _agency_claim_paid(self, reference=None, origin="staff"):
        """The client says it has paid: this invoice's reminders wait a few days for the money."""
        Hold = self.env["agency.reminder.hold"]
        Hold._agency_check_open_invoice(self)
        until = Hold._agency_paid_claim_until()
        message = self.env._(
            "The client says this invoice is paid; reminders wait until %s.", format_date(self.env, until)
        )
        if reference:
            message = self.env._("%(message)s Reference: %(reference)s", message=message, reference=reference)
        return Hold._agency_create_hold(
            self, "paid_claim", {"date_until": until, "reference": reference}, message, origin
        )

    def _agency_pause_reminders(self, date_until, reason, origin="staff"):
        """No reminder for this invoice until ``date_until``."""
        Hold = self.env["agency.reminder.hold"]
        Hold._agency_check_open_invoice(self)
        date_until = Hold._agency_check_future_date(date_until, self.env._("pause"))
        reason = Hold._agency_check_reason(reason)
        message = self.env._(
            "Reminders paused until %(date)s: %(reason)s", date=format_date(self.env, date_until), reason=reason
        )
        return Hold._agency_create_hold(self, "pause", {"date_until": date_until, "reason": reason}, message, origin)
