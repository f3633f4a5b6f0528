import logging
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, format_date, mute_logger, split_every

_logger = logging.getLogger(__name__)

# days before a plan payment that the friendly note goes, when the client's cadence has no step before due dates
PLAN_NOTICE_DAYS = 3
BATCH_SIZE = 100  # plans per committed batch of the scheduled run


class AgencyPaymentPlan(models.Model):
    """The scheduled side of payment plans: kept or broken, the notes before and after each payment, and what
    the reminders and late fees ask of them."""

    _inherit = "agency.payment.plan"

    @api.model
    def _cron_agency_payment_plans(self, date_ref=None):
        """End the plans kept or broken on ``date_ref`` (default: today) and send the notes of the plan payments,
        a batch of plans per commit. Safe to run as often as wanted, two at once or after a crash: each change
        and each note is made once (guarded updates)."""
        date = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        plans = self.sudo().search([("state", "=", "active")], order="id")
        Cron = self.env["ir.cron"]
        done = 0
        for plan_ids in split_every(BATCH_SIZE, plans.ids):
            batch = self.sudo().browse(plan_ids)
            batch._agency_settle_plans(date)
            batch.filtered(lambda plan: plan.state == "active")._agency_send_plan_notices(date)
            done += len(plan_ids)
            if Cron._commit_progress(len(plan_ids), remaining=len(plans) - done) <= 0:
                return

    def _agency_settle_plans(self, date):
        """These running plans (default: all) fully paid become kept; those with a payment missed for longer
        than their grace days become broken (the invoices' cadence resumes where they stand). Returns those
        changed."""
        plans = (self or self.sudo().search([("state", "=", "active")])).filtered(lambda plan: plan.state == "active")
        progress = plans._agency_progress(date)
        retrying = self.env["agency.autopay.charge"]._agency_autopay_retrying(
            [line._agency_autopay_key() for line in plans.line_ids]
        )
        changed = self.browse()
        for plan in plans:
            values = progress[plan.id]
            states = [line["state"] for line in values["lines"].values()]
            if all(state == "paid" for state in states):
                new_state, body = "kept", self.env._("Payment plan kept: everything is paid. Thank you!")
            elif "missed" in states:
                if any(line._agency_autopay_key() in retrying for line in plan.line_ids):
                    continue  # an automatic payment of the plan on its way or tried again: its outcome first
                line = values["next"]
                new_state = "broken"
                body = self.env._(
                    "Payment plan broken: the payment of %(amount)s due on %(date)s was not received within "
                    "%(days)s days. The invoices' reminders resume.",
                    amount=format_amount(self.env, values["lines"][line.id]["left"], plan.currency_id),
                    date=format_date(self.env, line.date),
                    days=plan.grace_days,
                )
            else:
                continue
            # once, whatever runs at the same time: the second update finds the plan no longer running
            if not self._agency_guarded_update(
                SQL(
                    "UPDATE agency_payment_plan SET state = %s, break_date = %s WHERE id = %s AND state = 'active' "
                    "RETURNING id",
                    new_state,
                    date if new_state == "broken" else None,
                    plan.id,
                )
            ):
                continue
            plan.invalidate_recordset(["state", "break_date"])
            plan.message_post(body=body, subtype_xmlid="mail.mt_note")
            for invoice in plan.invoice_ids:
                invoice.message_post(body=body, subtype_xmlid="mail.mt_note")
            changed |= plan
        return changed

    def _agency_send_plan_notices(self, date):
        """A friendly note before each payment of these running plans (as many days ahead as the client's
        cadence reminds before due dates), and a note the day after a payment is late, telling when the plan
        ends."""
        Cadence = self.env["agency.reminder.cadence"].sudo()
        plans = self
        progress = plans._agency_progress(date)
        before = self.env.ref("agency_billing_reminders.mail_template_payment_plan_before")
        missed = self.env.ref("agency_billing_reminders.mail_template_payment_plan_missed")
        retrying = self.env["agency.autopay.charge"]._agency_autopay_retrying(
            [line._agency_autopay_key() for line in plans.line_ids]
        )
        for plan in plans:
            cadence = Cadence._agency_cadence_for(plan.partner_id, plan.company_id)[plan.partner_id.id]
            lead = cadence._agency_lead_days() if cadence else PLAN_NOTICE_DAYS
            lead = lead or PLAN_NOTICE_DAYS
            for line in plan.line_ids:
                state = progress[plan.id]["lines"][line.id]["state"]
                if state == "due" and line.date > plan.date_start and line.date - timedelta(days=lead) <= date:
                    self._agency_send_plan_notice(line, "notice_before_date", before, date)
                elif state == "late" and not line.notice_missed_date and line._agency_autopay_key() not in retrying:
                    # an automatic payment on its way or a retry planned: the late note waits for its outcome
                    self._agency_send_plan_notice(line, "notice_missed_date", missed, date)

    @api.model
    def _agency_send_plan_notice(self, line, field, template, date):
        """Send one note of ``line`` once: the guarded update marks it, the mail goes through Odoo's queue in the
        same transaction (a rollback undoes both)."""
        if not self._agency_guarded_update(
            SQL(
                "UPDATE agency_payment_plan_line SET %s = %s WHERE id = %s AND %s IS NULL RETURNING id",
                SQL.identifier(field),
                date,
                line.id,
                SQL.identifier(field),
            )
        ):
            return False
        line.invalidate_recordset([field])
        if not line.plan_id.recipients_csv:
            _logger.info("Payment plan %s: no email address for the note of %s", line.plan_id.id, line.date)
            return False
        template.sudo().send_mail(line.id, force_send=False)
        return True

    @api.model
    def _agency_guarded_update(self, query):
        """Run an ``UPDATE ... WHERE <not done yet> RETURNING id``: whether this transaction made the change.
        Another run that made it and committed meanwhile (a serialization failure of the scheduler's
        repeatable-read transaction) means it is done: nothing here, the rest of the batch goes on."""
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.env.cr.execute(query)
                return bool(self.env.cr.fetchone())
        except SerializationFailure:
            _logger.info("Payment plans: changed by a concurrent run, skipped")
            return False

    # ------------------------------------------------------------------
    # What the reminders and late fees ask of plans
    # ------------------------------------------------------------------

    @api.model
    def _agency_reminder_reasons(self, moves):
        """``{move_id: reason}``: the invoices of ``moves`` under a running plan are not reminded on their own
        dates (the plan's notes go instead)."""
        return {move_id: plan._agency_describe() for move_id, plan in self._agency_plan_for_moves(moves).items()}

    @api.model
    def _agency_fee_restart(self, invoice):
        """How a plan changes the late fees of ``invoice``: ``(suspended, start)``. Suspended while a plan runs;
        after a break, from the break date (``start``) unless the profile said fees count from the original
        dates (``start`` None then, as without a plan)."""
        plans = self.sudo().search(
            [("invoice_ids", "in", invoice.ids), ("state", "in", ("active", "broken"))], order="id desc"
        )
        if plans.filtered(lambda plan: plan.state == "active"):
            return True, None
        broken = plans[:1]
        if broken and not broken.fees_from_original:
            return False, broken.break_date
        return False, None
