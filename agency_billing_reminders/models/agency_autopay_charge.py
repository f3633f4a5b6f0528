import logging
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# a charge left "sending" this long ago by a run that is gone (its row no longer locked) is resolved
# from its transaction by the next run, never sent again
STALE_MINUTES = 5
CHARGE_STATES = [
    ("sending", "Sending"),
    ("pending", "Pending"),
    ("done", "Paid"),
    ("failed", "Failed"),
    ("cancel", "Not Sent"),
    ("unknown", "Unconfirmed"),
]


class AgencyAutopayCharge(models.Model):
    """One attempt to charge one thing autopay pays (an installment, ``key``), under a unique key.

    The row is committed in state *sending* before its transaction goes to the provider; the transaction's
    reference is derived from the key and the attempt. A crash, a second run or a late webhook never
    charges one installment twice: a key is tried again only after its last attempt failed for good.
    """

    _name = "agency.autopay.charge"
    _description = "Autopay Charge"
    _order = "date desc, id desc"
    _rec_name = "reference"

    mandate_id = fields.Many2one("agency.autopay.mandate", required=True, readonly=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="mandate_id.partner_id", store=True, string="Client")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    key = fields.Char(required=True, readonly=True, index=True, help="What is paid: aml-<installment id>, ...")
    attempt = fields.Integer(required=True, readonly=True, default=1)
    reference = fields.Char(readonly=True)
    date = fields.Date(required=True, readonly=True, help="The day of the run that made this attempt.")
    due_date = fields.Date(readonly=True)
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    transaction_id = fields.Many2one("payment.transaction", readonly=True, index="btree_not_null")
    state = fields.Selection(CHARGE_STATES, required=True, default="sending", readonly=True, index=True)
    next_try = fields.Date(readonly=True)
    final = fields.Boolean(string="Last Try", readonly=True)
    failure_reason = fields.Char(readonly=True)

    _key_attempt_unique = models.Constraint("UNIQUE(key, attempt)", "This attempt was already made.")

    # ------------------------------------------------------------------
    # BUSINESS: which items are tried today (retry schedule)
    # ------------------------------------------------------------------

    @api.model
    def _agency_autopay_last_charges(self, keys):
        """The last attempt of each key: ``{key: charge}``."""
        last = {}
        for charge in self.sudo().search_fetch(
            [("key", "in", keys)], ["key", "attempt", "state", "next_try", "final"], order="attempt"
        ):
            last[charge.key] = charge
        return last

    @api.model
    def _agency_autopay_retrying(self, keys):
        """The keys whose last attempt is on its way or failed with a retry planned (not the last try)."""
        return {
            key
            for key, charge in self._agency_autopay_last_charges(keys).items()
            if charge.state in ("sending", "pending")
            or (charge.state == "failed" and charge.next_try and not charge.final)
        }

    @api.model
    def _agency_autopay_gave_up(self, keys):
        """The keys whose last attempt was the last try, failed: autopay charges them no more."""
        return {
            key
            for key, charge in self._agency_autopay_last_charges(keys).items()
            if charge.state == "failed" and charge.final
        }

    @api.model
    def _agency_autopay_due(self, items, date):
        """The ``items`` (``agency.autopay.mandate._agency_autopay_items``) to try on ``date``, each with its
        ``attempt``: never tried, or a retry whose day has come after a failure; never while an attempt is
        on its way or unconfirmed, after a success, or after the last failed try."""
        last = self._agency_autopay_last_charges([item["key"] for item in items])
        due = []
        for item in items:
            charge = last.get(item["key"])
            if charge and (
                charge.state in ("sending", "pending", "done", "unknown")
                or (charge.state == "failed" and (charge.final or not charge.next_try or charge.next_try > date))
            ):
                continue
            due.append({**item, "attempt": charge.attempt + 1 if charge else 1})
        return due

    # ------------------------------------------------------------------
    # THE RUN
    # ------------------------------------------------------------------

    @api.model
    def _agency_autopay_run(self, date, batch_size=50):
        """Charge what is due on ``date``, a batch of clients at a time: each batch takes its clients'
        mandates ``FOR UPDATE SKIP LOCKED`` (two runs never take one client), writes and commits its charge
        rows and transactions, sends them, commits, then lets Odoo post-process the paid ones (payment,
        reconciliation, receipt) and commits. Returns the number of charges sent."""
        Cron = self.env["ir.cron"]
        Mandate = self.env["agency.autopay.mandate"].sudo()
        self.sudo()._agency_autopay_resolve_stale()
        self.sudo().search([("state", "in", ("pending", "unknown"))])._agency_autopay_sync()
        items = self._agency_autopay_due(Mandate._agency_autopay_items(date), date)
        mandate_ids = list(dict.fromkeys(item["mandate"].id for item in items))
        Cron._commit_progress(0, remaining=len(mandate_ids))  # each batch reads what is committed now
        sent = 0
        done = 0
        for batch in split_every(batch_size, mandate_ids):
            mandates = Mandate.browse(batch).try_lock_for_update()
            if mandates:
                fresh = self._agency_autopay_due(mandates._agency_autopay_items(date), date)
                charges = self.sudo()._agency_autopay_prepare(fresh, date)
                Cron._commit_progress(0)  # the rows are there, under their keys, before anything is sent
                charges = charges._agency_autopay_send(date)
                Cron._commit_progress(0)  # what the provider answered is kept before the bookkeeping
                charges._agency_autopay_post_process()
                sent += len(charges)
            done += len(batch)
            if Cron._commit_progress(len(batch), remaining=len(mandate_ids) - done) <= 0:
                break
        return sent

    @api.model
    def _agency_autopay_prepare(self, items, date):
        """The charge rows (state *sending*) and their offline transactions of ``items``; an item whose
        attempt another run has just made (the unique key) is left out."""
        if not items:
            return self.browse()
        vals_list = [self._agency_autopay_charge_values(item, date) for item in items]
        try:
            with self.env.cr.savepoint():
                charges = self.create(vals_list)
                self.env.flush_all()
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure):
            charges = self.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        charges |= self.create(vals)
                        self.env.flush_all()
                except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure):
                    _logger.info("autopay: %s attempt %s already made by another run", vals["key"], vals["attempt"])
        Transaction = self.env["payment.transaction"].sudo()
        for charge in charges:  # one by one: payment's token check (_check_token_is_active) takes one record
            charge.transaction_id = Transaction.create(charge._agency_autopay_transaction_values())
        return charges

    @api.model
    def _agency_autopay_charge_values(self, item, date):
        key, attempt = item["key"], item["attempt"]
        return {
            "mandate_id": item["mandate"].id,
            "company_id": item["company"].id,
            "key": key,
            "attempt": attempt,
            "reference": f"AUTOPAY-{key}-{attempt}",
            "date": date,
            "due_date": item["due_date"],
            "move_ids": [Command.set(item["moves"].ids)],
            "amount": item["amount"],
            "currency_id": item["currency"].id,
            "state": "sending",
        }

    def _agency_autopay_transaction_values(self):
        self.ensure_one()
        token = self.mandate_id.token_id
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "token_id": token.id,
            "reference": self.reference,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
            "partner_id": token.partner_id.id,
            "operation": "offline",
            "invoice_ids": [Command.set(self.move_ids.ids)],
        }

    def _agency_autopay_send(self, date):
        """Send these charges' transactions (Odoo's ``_charge_with_token``), each right after checking that
        nothing was paid or started since (its invoices and earlier attempts locked); record the outcome.
        Returns the charges sent."""
        sent = self.browse()
        for charge in self.try_lock_for_update().filtered(lambda charge: charge.state == "sending"):
            reason = charge._agency_autopay_stop_reason()
            tx = charge.transaction_id
            if reason:
                charge.write({"state": "cancel", "failure_reason": reason})
                tx._set_canceled(state_message=reason)
                continue
            try:
                with self.env.cr.savepoint():
                    tx._charge_with_token()
            except Exception:
                # nothing known of the provider's answer: the charge stays "sending" and is resolved from its
                # transaction later (``_agency_autopay_resolve_stale``), never sent again
                _logger.exception("autopay: sending %s failed", charge.reference)
                continue
            charge._agency_autopay_record(date)
            sent |= charge
        return sent

    def _agency_autopay_stop_reason(self):
        """Why this charge must not be sent now (fresh from the database, its invoices and the earlier
        attempts' transactions locked): paid or disputed since, another payment on its way."""
        self.ensure_one()
        moves = self.move_ids
        earlier = self.search([("key", "=", self.key), ("id", "!=", self.id)]).transaction_id
        try:
            with self.env.cr.savepoint():
                if (
                    moves.try_lock_for_update(allow_referencing=True) != moves
                    or earlier.try_lock_for_update() != earlier
                ):
                    return self.env._("an invoice is being changed")
        except psycopg2.errors.SerializationFailure:
            return self.env._("an invoice was changed meanwhile")
        moves.invalidate_recordset(["payment_state", "amount_residual"])
        if any(
            move.payment_state in ("paid", "in_payment", "blocked", "reversed") or move.state != "posted"
            for move in moves
        ):
            return self.env._("paid or disputed meanwhile")
        if earlier.filtered(lambda tx: tx.state not in ("error", "cancel")):
            return self.env._("an earlier attempt was confirmed")
        others = (
            self.env["payment.transaction"]
            .sudo()
            .search_count(
                Domain("invoice_ids", "in", moves.ids)
                & Domain("id", "!=", self.transaction_id.id)
                & (
                    Domain("state", "in", ("pending", "authorized"))
                    | (Domain("state", "=", "done") & Domain("is_post_processed", "=", False))
                )
            )
        )
        if others:
            return self.env._("another online payment is on its way")
        return False

    def _agency_autopay_record(self, date):
        """The charge's state from its transaction's: paid, pending, or failed (with the next try)."""
        for charge in self:
            tx_state = charge.transaction_id.state
            if tx_state == "done":
                charge.write({"state": "done", "next_try": False, "failure_reason": False})
            elif tx_state in ("pending", "authorized"):
                charge.state = "pending"
            elif tx_state in ("error", "cancel"):
                charge._agency_autopay_fail(date)

    def _agency_autopay_fail(self, date):
        """A failed attempt: the next try on the company's schedule (days after the first failure), none
        when the provider says retrying cannot help or after the last one; the client is told by mail."""
        self.ensure_one()
        tx = self.transaction_id
        failures = self.search(
            [("key", "=", self.key), ("state", "=", "failed"), ("id", "!=", self.id)], order="attempt"
        )
        first = failures[:1].date or self.date or date
        offsets = self.company_id._agency_autopay_retry_offsets()
        final = tx._agency_autopay_cannot_retry() or len(failures) >= len(offsets)
        self.write(
            {
                "state": "failed",
                "failure_reason": tx.state_message or (tx.state == "cancel" and self.env._("refused")) or False,
                "final": final,
                "next_try": False
                if final
                else max(first + timedelta(days=offsets[len(failures)]), date + timedelta(days=1)),
            }
        )
        template = self.env.ref("agency_billing_reminders.mail_template_autopay_failed", raise_if_not_found=False)
        if template and self._agency_autopay_recipients():
            template.send_mail(self.id)

    def _agency_autopay_post_process(self):
        """Odoo's own post-processing of the paid transactions: payment, reconciliation (and so the receipt).
        What fails here is left to Odoo's post-processing job (``payment.cron_post_process_payment_tx``)."""
        for tx in self.transaction_id.filtered(lambda tx: tx.state == "done" and not tx.is_post_processed):
            try:
                with self.env.cr.savepoint():
                    tx._post_process()
            except Exception:
                _logger.exception("autopay: post-processing %s failed, left to Odoo's job", tx.reference)

    def _agency_autopay_sync(self):
        """Follow transactions confirmed or refused after the run (a webhook, a pending payment)."""
        today = fields.Date.context_today(self)
        for charge in self:
            tx_state = charge.transaction_id.state
            if tx_state == "done" and charge.state != "done":  # even after a failure: a late confirmation
                charge._agency_autopay_record(today)
            elif charge.state in ("pending", "unknown", "sending") and tx_state in ("error", "cancel"):
                charge._agency_autopay_record(charge.date if charge.state == "sending" else today)
            elif charge.state == "sending" and tx_state in ("pending", "authorized"):
                charge.state = "pending"

    def _agency_autopay_resolve_stale(self):
        """Charges left *sending* by a run that is gone: resolved from their transactions, never sent again;
        a transaction still draft may or may not have reached the provider: *unconfirmed*, staff told, and
        the invoice's reminders take over (a late confirmation from the provider still pays it)."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM agency_autopay_charge WHERE state = 'sending' "
                "AND create_date < (now() AT TIME ZONE 'UTC') - make_interval(mins => %s) "
                "FOR UPDATE SKIP LOCKED",
                STALE_MINUTES,
            )
        )
        charges = self.browse([row[0] for row in rows])
        for charge in charges:
            if charge.transaction_id.state in (False, "draft"):
                charge.write({"state": "unknown", "failure_reason": self.env._("no answer recorded from the provider")})
                for move in charge.move_ids:
                    move.message_post(
                        body=self.env._(
                            "The automatic payment %s was interrupted: check with the payment provider whether it "
                            "went through; the reminders of this invoice take over.",
                            charge.reference,
                        )
                    )
            else:
                charge._agency_autopay_sync()
        charges._agency_autopay_post_process()

    # ------------------------------------------------------------------
    # MAIL: the failure notice
    # ------------------------------------------------------------------

    def _agency_autopay_recipients(self):
        self.ensure_one()
        return self.partner_id._agency_reminder_recipients(self.move_ids)

    def _agency_autopay_pay_url(self):
        """The link to pay the invoice online (its portal page)."""
        self.ensure_one()
        move = self.move_ids[:1]
        return move.get_base_url() + move.sudo()._get_share_url(redirect=False) if move else ""

    def _agency_autopay_method_url(self):
        self.ensure_one()
        return self.get_base_url() + "/my/payment_method"
