import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_amount, format_date, split_every

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100  # clients per committed batch of the scheduled run


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_agency_send_reminders(self, date_ref=None):
        """Send the reminders due on ``date_ref`` (default: today), a batch of clients per commit.

        Safe to run as often as wanted: a step is sent once per installment (the reminder log), and a
        decision to hold a step back is taken once a day by the scheduled run.
        """
        date = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        self.env["agency.reminder.hold"]._agency_expire_holds(date)
        self.env["agency.payment.plan"]._agency_settle_plans(date)  # a plan broken today: reminded today
        plan = self._agency_reminder_plan(date, cron=True)
        keys_of = {}
        for key in plan:
            keys_of.setdefault(key[0], []).append(key)
        Cron = self.env["ir.cron"]
        done = 0
        for partner_ids in split_every(BATCH_SIZE, list(keys_of)):
            self.browse(partner_ids)._agency_send_reminders_batch(
                date, origin="cron", planned={key: plan[key] for pid in partner_ids for key in keys_of[pid]}
            )
            done += len(partner_ids)
            if Cron._commit_progress(len(partner_ids), remaining=len(keys_of) - done) <= 0:
                return

    # ------------------------------------------------------------------
    # BUSINESS: what is due, to whom, and what holds it back
    # ------------------------------------------------------------------

    @api.model
    def _agency_reminder_plan(self, date, partners=None, forced=False, cron=False, companies=None):
        """What the reminders of ``date`` would send, client by client and company by company.

        Each unpaid installment of an invoice to remind (``_agency_due_lines_domain`` of the base addon)
        reaches the most advanced step of its client's cadence in the invoice's company whose day has
        come; a step already sent is never sent again. ``forced`` (staff's *Send next step now*): the next
        step of each installment, whatever its date, and no wait between messages. ``cron``: what was held
        back today is not reconsidered. ``companies``: those of the invoices (default: the user's).

        Returns ``{(partner_id, company_id): {"partner", "company", "cadence", "send": [entry],
        "held": [entry]}}`` (as OCA's credit control, one message never mixes two companies), an entry
        being a dict with ``line``, ``step``, ``amount`` (in the invoice's currency, its disputed part
        left out), ``amount_company`` (the same in the company's currency), ``log`` (the existing record
        of that step, if held back before) and ``reason``.
        """
        Line = self.env["account.move.line"]
        Cadence = self.env["agency.reminder.cadence"]
        companies = companies or self.env.companies
        lead = Cadence.search([])._agency_lead_days()
        domain = Line._agency_due_lines_domain(date + timedelta(days=lead + 1)) & Domain(
            "company_id", "in", companies.ids
        )
        if partners is not None:
            domain &= Domain("partner_id", "in", partners.commercial_partner_id.ids)
        lines = Line.search_fetch(
            domain,
            [
                "move_id",
                "partner_id",
                "company_id",
                "date_maturity",
                "amount_residual",
                "amount_residual_currency",
                "currency_id",
            ],
            order="date_maturity, id",
        )
        if not lines:
            return {}
        cadences, logs = self._agency_reminder_cadences_and_logs(lines)

        plan = {}
        for line in lines:
            cadence = cadences[line.company_id].get(line.partner_id.id)
            if not cadence or not cadence.step_ids:
                continue
            step, log = self._agency_reminder_next_step(cadence, line, logs.get(line.id, []), date, forced)
            if not step or (cron and log and log.state == "held" and log.date == date):
                continue
            client = plan.setdefault(
                (line.partner_id.id, line.company_id.id),
                {"partner": line.partner_id, "company": line.company_id, "cadence": cadence, "send": [], "held": []},
            )
            client["send"].append(
                {
                    "line": line,
                    "step": step,
                    "amount": line.amount_residual_currency,
                    "amount_company": line.amount_residual,
                    "log": log,
                    "reason": False,
                }
            )
        self._agency_reminder_apply_holds(plan, date, forced)
        return plan

    @api.model
    def _agency_reminder_next_step(self, cadence, line, logs, date, forced):
        """The step ``line`` reaches on ``date`` and the existing log of that step (held back before)."""
        sent_days = [log.step_id.days for log in logs if log.state == "sent"]
        last_sent = max(sent_days) if sent_days else None
        step = cadence._agency_step_reached((date - line.date_maturity).days)
        if step and last_sent is not None and step.days <= last_sent:
            step = step.browse()
        if forced and not step:
            # staff's "send next step now": the step after the last one sent, ahead of its day
            steps = cadence.step_ids.filtered(lambda step: last_sent is None or step.days > last_sent)
            step = steps.sorted("days")[:1]
        log = next((log for log in logs if log.step_id == step), False) if step else False
        return step, log

    @api.model
    def _agency_reminder_apply_holds(self, plan, date, forced):
        """Move to "held" the entries that must not be sent, with the reason, in the user's words; leave
        the disputed part of each installment out of what is asked (``_agency_disputed_installments``)."""
        if not plan:
            return
        partners = self.browse({key[0] for key in plan})
        moves = self.env["account.move"].browse(
            {entry["line"].move_id.id for client in plan.values() for entry in client["send"]}
        )
        holds = self.env["agency.reminder.hold"].search_fetch(
            self.env["agency.reminder.hold"]._agency_active_domain(date) & Domain("partner_id", "in", partners.ids),
            ["kind", "partner_id", "move_id", "section_line_id", "date_until"],
        )
        disputed = moves._agency_disputed_installments(date)
        pending = self._agency_reminder_pending_payments(moves)
        pending = {**self.env["agency.payment.plan"]._agency_reminder_reasons(moves), **pending}
        autopay = self._agency_reminder_autopay_reasons(plan, date)
        transfers = self._agency_reminder_incoming_transfers(partners, date)
        for (_partner_id, company_id), client in plan.items():
            client["transfer"] = transfers.get((client["partner"].commercial_partner_id.id, company_id))
        last_sent = {
            (partner.id, company.id): last
            for partner, company, last in self.env["agency.reminder.message"]._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id", "company_id"], ["date:max"]
            )
        }
        for key, client in plan.items():
            partner = client["partner"]
            client_holds = holds.filtered(lambda hold, partner=partner: hold.partner_id == partner)
            reason_all = self._agency_reminder_client_reason(client, client_holds, last_sent.get(key), date, forced)
            for entry in list(client["send"]):
                line = entry["line"]
                move = line.move_id
                reason = reason_all or pending.get(move.id) or autopay.get(line.id)
                if line in disputed:
                    currency = line.currency_id
                    kept = max(entry["amount"] - disputed[line], 0.0)
                    if not currency.is_zero(entry["amount"]):
                        entry["amount_company"] = line.company_currency_id.round(
                            entry["amount_company"] * kept / entry["amount"]
                        )
                    entry["amount"] = currency.round(kept)
                    if currency.is_zero(entry["amount"]):
                        sections = client_holds.filtered(
                            lambda hold, move=move: hold.move_id == move and hold.kind == "dispute"
                        )
                        reason = reason or (sections[:1]._agency_describe() if sections else self.env._("disputed"))
                for hold in client_holds.filtered(
                    lambda hold, move=move: hold.move_id == move and not hold.section_line_id
                ):
                    reason = reason or hold._agency_describe()
                if reason:
                    entry["reason"] = reason
                    client["send"].remove(entry)
                    client["held"].append(entry)
            reason = self._agency_reminder_send_reason(client)
            if reason:
                for entry in client["send"]:
                    entry["reason"] = reason
                client["held"] += client["send"]
                client["send"] = []

    @api.model
    def _agency_reminder_client_reason(self, client, holds, last_date, date, forced):
        """Why nothing is sent to this client in this company at all (pause, promise on the client,
        collections, too soon after the last message of that company)."""
        whole = holds.filtered(lambda hold: not hold.move_id)
        if whole:
            return whole[0]._agency_describe()
        if client.get("transfer"):
            return client["transfer"]
        if forced:
            return False
        if client["partner"].agency_reminder_collections:
            return self.env._("handed over to collections")
        gap = client["cadence"].min_gap_days
        if last_date and (date - last_date).days < gap:
            return self.env._(
                "last reminder on %(date)s, next one not before %(next)s",
                date=format_date(self.env, last_date),
                next=format_date(self.env, last_date + timedelta(days=gap)),
            )
        return False

    @api.model
    def _agency_reminder_incoming_transfers(self, partners, date):
        """Money on its way: for each client and company, the last transfer from the client (its IBAN or
        its name) received in that company's last days and not matched yet, as the reason reminders wait:
        ``{(commercial partner id, company id): reason}``, in one query for all the clients."""
        Line = self.env["account.bank.statement.line"]
        days = max(self.env.companies.mapped("agency_bank_transfer_hold_days") or [0])
        if days <= 0 or not partners:
            return {}
        reasons = {}
        lines = Line.search_fetch(
            Line._agency_incoming_transfers_domain(partners, date, days),
            ["date", "amount", "currency_id", "company_id", "agency_payer_partner_id"],
            order="date desc, id desc",
        )
        for line in lines:
            key = (line.agency_payer_partner_id.id, line.company_id.id)
            hold_days = line.company_id.agency_bank_transfer_hold_days
            if key in reasons or hold_days <= 0 or (date - line.date).days > hold_days:
                continue
            reasons[key] = self.env._(
                "a transfer of %(amount)s received on %(date)s is being matched",
                amount=line.currency_id.format(line.amount),
                date=format_date(self.env, line.date),
            )
        return reasons

    @api.model
    def _agency_reminder_send_reason(self, client):
        """Why what is left to send is held back: too small an amount, nobody to write to."""
        if not client["send"]:
            return False
        total = sum(entry["amount_company"] for entry in client["send"])  # one company, its currency
        minimum = client["cadence"].minimum_amount
        if minimum and client["company"].currency_id.compare_amounts(total, minimum) < 0:
            return self.env._(
                "below the minimum amount of %s", format_amount(self.env, minimum, client["company"].currency_id)
            )
        steps = self.env["agency.reminder.step"].union(*(entry["step"] for entry in client["send"]))
        if "mail" in steps._agency_channels() and not client["partner"]._agency_reminder_recipients(
            self.env["account.move"].union(*(entry["line"].move_id for entry in client["send"]))
        ):
            return self.env._("no email address for this client")
        return False

    @api.model
    def _agency_reminder_autopay_reasons(self, plan, date):
        """Installments whose reminders wait for an automatic payment scheduled or on its way:
        ``{line_id: reason}`` (``agency.autopay.mandate._agency_autopay_reminder_reasons``)."""
        lines = self.env["account.move.line"].union(
            *(entry["line"] for client in plan.values() for entry in client["send"])
        )
        return self.env["agency.autopay.mandate"]._agency_autopay_reminder_reasons(lines, date)

    @api.model
    def _agency_reminder_pending_payments(self, moves):
        """Invoices with an online payment under way (pending or authorized transaction): ``{move_id: reason}``."""
        if not moves:
            return {}
        transactions = (
            self.env["payment.transaction"]
            .sudo()
            .search_fetch(
                [("state", "in", ("pending", "authorized")), ("invoice_ids", "in", moves.ids)], ["invoice_ids"]
            )
        )
        reason = self.env._("online payment in progress")
        return {move.id: reason for move in transactions.invoice_ids & moves}

    def _agency_reminder_recipients(self, moves):
        """Who gets the reminder: the client's billing contacts with an email, else the contacts invoiced."""
        self.ensure_one()
        contacts = self.child_ids.filtered(lambda contact: contact.type == "invoice" and contact.email)
        if not contacts:
            contacts = moves.partner_id.filtered("email")
        if not contacts and self.email:
            contacts = self
        return contacts

    def _agency_reminder_hold_reasons(self, date, forced=False, companies=None):
        """Why this client gets nothing on ``date``, as one sentence (empty when nothing is due)."""
        self.ensure_one()
        plan = self._agency_reminder_plan(date, partners=self, forced=forced, companies=companies)
        reasons = {entry["reason"] for client in plan.values() for entry in client["held"] if entry["reason"]}
        return "; ".join(sorted(reasons)) or False

    @api.model
    def _agency_reminder_cadences_and_logs(self, lines):
        """For due ``lines``: the cadence of each client in each company (``{company: {partner_id:
        cadence}}``) and the reminder log of each line (``{line_id: [log, ...]}``)."""
        Cadence = self.env["agency.reminder.cadence"]
        cadences = {
            company: Cadence._agency_cadence_for(company_lines.partner_id, company)
            for company, company_lines in lines.grouped("company_id").items()
        }
        logs = {}
        for log in self.env["agency.reminder.log"].search_fetch(
            [("line_id", "in", lines.ids)], ["line_id", "step_id", "state", "date"]
        ):
            logs.setdefault(log.line_id.id, []).append(log)
        return cadences, logs

    @api.model
    def _agency_reminder_next_steps(self, partners, date=None):
        """The next step of each client in each company and its date: ``{(partner_id, company_id): (step,
        date)}``, for the back office (the step an installment has reached and not had yet is due today;
        else the one after)."""
        date = date or fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        lines = Line.search_fetch(
            Line._agency_due_lines_domain() & Domain("partner_id", "in", partners.ids),
            ["partner_id", "company_id", "date_maturity"],
        )
        cadences, logs = self._agency_reminder_cadences_and_logs(lines)
        nexts = {}
        for line in lines:
            cadence = cadences[line.company_id].get(line.partner_id.id)
            if not cadence or not cadence.step_ids:
                continue
            step, _log = self._agency_reminder_next_step(cadence, line, logs.get(line.id, []), date, forced=True)
            if not step:
                continue
            when = max(line.date_maturity + timedelta(days=step.days), date)
            key = (line.partner_id.id, line.company_id.id)
            current = nexts.get(key)
            if not current or when < current[1]:
                nexts[key] = (step, when)
        return nexts
