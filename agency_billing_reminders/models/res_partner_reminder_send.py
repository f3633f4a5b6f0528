import logging

from odoo import models

_logger = logging.getLogger(__name__)

# first key of the transaction-level advisory lock taken on a client while it is reminded
REMINDER_LOCK_KEY = 7213

# what is read again, fresh, when a client's reminder is sent
FRESH_MODELS = (
    "account.move",
    "account.move.line",
    "account.partial.reconcile",
    "agency.reminder.log",
    "agency.reminder.hold",
    "agency.reminder.message",
    "payment.transaction",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _agency_reminder_lock(self):
        """Hold these clients for this transaction (advisory locks, released at commit or rollback) and
        return those held: a client another transaction holds is being reminded by that run (the scheduled
        one, or staff's *Send now*) right now. Locks rather than the clients' rows, so that invoicing a
        client meanwhile is not held up."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM unnest(%s::int[]) AS id WHERE pg_try_advisory_xact_lock(%s, id)",
            [self.ids, REMINDER_LOCK_KEY],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _agency_send_reminders(self, date, forced=False, origin="cron", planned=None, companies=None):
        """Send this client's reminders of ``date``: one message per company for every installment that
        reached a step (``planned``: what the plan of the run said, see ``_agency_send_reminders_batch``)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner._agency_send_reminders_batch(
            date, forced=forced, origin=origin, planned=planned, companies=companies
        )

    def _agency_send_reminders_batch(self, date, forced=False, origin="cron", planned=None, companies=None):
        """Send the reminders of ``date`` to these clients (commercial entities): one message per client
        and company.

        Everything is decided again here, on fresh data, under a lock on each client: a payment registered
        since the plan (``planned``: ``{(partner_id, company_id): client}``) was made stops that invoice.
        The logs, the mails (Odoo's mail queue) and the activities are made in one savepoint: a crash
        undoes them all, then the clients are tried one by one so that one client's failure holds back
        only that client. Returns the messages sent.
        """
        Message = self.env["agency.reminder.message"]
        partners = self._agency_reminder_lock()
        if self - partners:
            _logger.info("Reminders: clients %s are being reminded by another run, skipped", (self - partners).ids)
        if not partners:
            return Message
        # read again what may have changed since the plan: payments, holds, transactions, logs
        self.env.flush_all()
        for model in FRESH_MODELS:
            self.env[model].invalidate_model()
        partners.invalidate_recordset(["agency_reminder_collections"])
        plan = self._agency_reminder_plan(
            date, partners=partners, forced=forced, cron=origin == "cron", companies=companies
        )
        for key, old in (planned or {}).items():
            if key[0] not in partners.ids:
                continue
            client = plan.setdefault(key, {"send": [], "held": []})
            kept = {entry["line"].id for entry in client["send"] + client["held"]}
            for entry in old["send"]:
                if entry["line"].id not in kept:
                    entry["reason"] = entry["line"].move_id._agency_reminder_settled_reason()
                    client["held"].append(entry)
        try:
            with self.env.cr.savepoint():
                self._agency_reminder_log(
                    [entry for client in plan.values() for entry in client["held"]], date, "held", origin
                )
                return Message._agency_send([client for client in plan.values() if client["send"]], date, origin)
        except Exception:
            if origin != "cron":
                raise
            if len(partners) > 1:
                _logger.warning("Reminders: a batch of %s clients failed, tried one by one", len(partners))
                for partner in partners:
                    Message |= partner._agency_send_reminders_batch(
                        date,
                        origin=origin,
                        planned={key: client for key, client in (planned or {}).items() if key[0] == partner.id},
                        companies=companies,
                    )
                return Message
            _logger.exception("Reminders: sending to client %s failed; it is tried again on the next run", partners.id)
            return Message

    def _agency_reminder_log(self, entries, date, state, origin):
        """Record the decision for each entry: a new log, or the one held back before updated (an entry
        sent carries its ``message``)."""
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
                "message_id": entry["message"].id if entry.get("message") else False,
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
