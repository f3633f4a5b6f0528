import logging

from odoo import models

_logger = logging.getLogger(__name__)

# first key of the transaction-level advisory lock taken on a client while it is reminded
REMINDER_LOCK_KEY = 7213


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _agency_reminder_lock(self):
        """Hold the client for this transaction (an advisory lock, released at commit or rollback).

        False when another transaction holds it: that run (the scheduled one, or staff's *Send now*) is
        reminding the client right now. A lock rather than the client's row, so that invoicing the client
        meanwhile is not held up.
        """
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [REMINDER_LOCK_KEY, self.id])
        return self.env.cr.fetchone()[0]

    def _agency_send_reminders(self, date, forced=False, origin="cron", planned=None):
        """Send this client's reminder of ``date``: one message for every installment that reached a step.

        Everything is decided again here, on fresh data, under a lock on the client: a payment registered
        since the plan (``planned``) was made stops that invoice. The log, the mail (Odoo's mail queue)
        and the activities are made in one savepoint: a crash undoes them all. Returns the message sent.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        if not partner._agency_reminder_lock():
            _logger.info("Reminders: client %s is being reminded by another run, skipped", partner.id)
            return self.env["agency.reminder.message"]
        self.env.invalidate_all()
        client = self._agency_reminder_plan(date, partners=partner, forced=forced, cron=origin == "cron").get(
            partner.id, {"send": [], "held": []}
        )
        if planned:
            kept = {entry["line"].id for entry in client["send"] + client["held"]}
            for entry in planned["send"]:
                if entry["line"].id not in kept:
                    entry["reason"] = entry["line"].move_id._agency_reminder_settled_reason()
                    client["held"].append(entry)
        try:
            with self.env.cr.savepoint():
                self._agency_reminder_log(client["held"], date, "held", origin)
                if not client["send"]:
                    return self.env["agency.reminder.message"]
                return self.env["agency.reminder.message"]._agency_send(partner, client["send"], date, origin)
        except Exception:
            if origin != "cron":
                raise
            _logger.exception("Reminders: sending to client %s failed; it is tried again on the next run", partner.id)
            return self.env["agency.reminder.message"]

    def _agency_reminder_log(self, entries, date, state, origin, message=None):
        """Record the decision for each entry: a new log, or the one held back before updated."""
        Log = self.env["agency.reminder.log"].sudo()
        to_create = []
        for entry in entries:
            line, step = entry["line"], entry["step"]
            values = {
                "date": date,
                "state": state,
                "reason": entry["reason"] or False,
                "amount": entry["amount"],
                "channel": step.action,
                "message_id": message.id if message else False,
                "origin": origin,
                "user_id": self.env.uid,
            }
            if entry["log"]:
                entry["log"].sudo().write(values)
            else:
                values.update(
                    line_id=line.id,
                    move_id=line.move_id.id,
                    partner_id=line.partner_id.id,
                    step_id=step.id,
                    date_maturity=line.date_maturity,
                    currency_id=line.currency_id.id,
                )
                to_create.append(values)
        return Log.create(to_create)
