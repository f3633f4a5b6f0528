import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors as pg_errors
from psycopg2.extensions import TransactionRollbackError

from odoo import models
from odoo.fields import Command

from .agency_billing_plan import BillingPlan

_logger = logging.getLogger(__name__)


class AgencyBillingRun(models.Model):
    """Billing: the invoices of the plans, made in batches, exactly once."""

    _inherit = "agency.billing.run"

    def _bill_partners(self, partners, dates=None):
        """Bill a batch of clients: one invoice per plan, created together, exactly once; returns the
        plans (billed, or left out with their reason).

        Clients held by another transaction (another worker, staff saving the client) are left out
        as "locked" (row lock, SKIP LOCKED); a plan whose key already has an invoice is skipped; when
        the batch fails, each invoice is retried alone so that one client's broken data fails alone,
        with its reason recorded. ``dates``: the invoice date of each client (partner id), else the
        run's date.
        """
        self.ensure_one()
        partners = partners.commercial_partner_id
        locked = self._lock_clients(partners)
        message = self.env._("Being billed by another run, or edited, at this moment.")
        plans = [BillingPlan(partner).skip("locked", message) for partner in partners - locked]
        plans += self._plan_partners(locked, dates=dates)
        for plan in plans:
            if plan.to_bill and plan.deposit_order:
                self._bill_deposit(plan)
        to_bill = [plan for plan in plans if plan.to_bill]
        for plan in to_bill:
            try:
                plan.invoice_vals = self._prepare_invoice_vals(plan)
            except Exception as error:
                _logger.exception("Billing run %s: preparing the invoice of %s failed", self.id, plan.partner.id)
                plan.fail(str(error))
        to_bill = [plan for plan in to_bill if plan.to_bill]
        self._prefill_invoice_lines([plan.invoice_vals for plan in to_bill])
        Move = self._invoice_creation_env()
        try:
            with self.env.cr.savepoint():
                moves = self._create_invoices(Move, [plan.invoice_vals for plan in to_bill])
            for plan, move in zip(to_bill, moves, strict=True):
                plan.billed(move)
        except Exception:  # retry one by one to isolate the broken client
            _logger.info("Billing run %s: batch failed, billing its clients one by one", self.id)
            for plan in to_bill:
                self._bill_one(plan, Move)
        self.env["agency.billing.run.line"].create([self._plan_to_line_vals(plan) for plan in plans])
        return plans

    def _lock_clients(self, partners):
        """The clients this transaction could lock (``FOR NO KEY UPDATE SKIP LOCKED``: others may still
        reference them). A client changed and committed by another transaction since this one's
        snapshot cannot be locked either (a serialization failure): left out too, tried again later."""
        try:
            with self.env.cr.savepoint(flush=False):
                return partners.try_lock_for_update(allow_referencing=True)
        except TransactionRollbackError:
            locked = self.env["res.partner"]
            for partner in partners:
                try:
                    with self.env.cr.savepoint(flush=False):
                        locked |= partner.try_lock_for_update(allow_referencing=True)
                except TransactionRollbackError:
                    _logger.info("Billing run %s: client %s changed meanwhile, left for later", self.id, partner.id)
            return locked

    def _create_invoices(self, Move, vals_list):
        moves = Move.create(vals_list).with_env(self.env)
        self._log_invoices_created(moves)
        self._after_invoices_created(moves)
        return moves

    def _bill_one(self, plan, Move):
        try:
            with self.env.cr.savepoint():
                plan.billed(self._create_invoices(Move, [plan.invoice_vals]))
        except pg_errors.UniqueViolation:
            plan.skip("already_billed", self._already_billed_message())
        except Exception as error:
            _logger.warning("Billing run %s: client %s failed: %s", self.id, plan.partner.id, error)
            plan.fail(str(error))

    def _bill_deposit(self, plan):
        """The deposit invoice, made by Odoo's own down payment wizard so that the order deducts
        it from the balance."""
        order = plan.deposit_order
        try:
            with self.env.cr.savepoint():
                wizard = (
                    self.env["sale.advance.payment.inv"]
                    .with_context(active_model="sale.order", active_ids=order.ids)
                    .create(
                        {
                            "advance_payment_method": "percentage",
                            "amount": plan.partner.agency_deposit_percent,
                            "sale_order_ids": [Command.set(order.ids)],
                        }
                    )
                )
                invoice = wizard._create_invoices(order)
                invoice.write({"agency_billing_key": plan.key, "invoice_date": plan.date or self.date})
                self._after_invoices_created(invoice)
            plan.billed(invoice, amount=invoice.amount_untaxed)
        except pg_errors.UniqueViolation:
            plan.skip("already_billed", self.env._("Deposit already invoiced."))
        except Exception as error:
            _logger.warning("Billing run %s: deposit of %s failed: %s", self.id, order.name, error)
            plan.fail(str(error))

    def _invoice_creation_env(self):
        """``account.move`` as the run creates invoices with it.

        ``mail_notrack``: at creation the chatter gathers the old values of every tracked field it
        computes, then discards them: Odoo tracks nothing of a record in the transaction that
        creates it (``_track_discard``). ``mail_create_nolog``: instead of Odoo's "Invoice Created"
        message, posted invoice by invoice to a hidden subtype nobody follows, the run logs its own
        note on all of them at once (``_log_invoices_created``). The invoices are handed on in the
        run's own environment, so that nothing done with them later inherits this context.
        """
        return self.env["account.move"].with_context(
            default_move_type="out_invoice", mail_notrack=True, mail_create_nolog=True
        )

    def _log_invoices_created(self, moves):
        """The creation note of the run's invoices, in their chatter, written in one batch: which
        billing run created them (internal: the client does not see it)."""
        body = Markup("<p>%s</p>") % self.env._("Invoice created by the billing run %s.", self._get_html_link())
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))

    def _after_invoices_created(self, moves):
        """Hook: post the invoices when the company wants it, then have the statements of the clients
        with portal access prepared again (they changed)."""
        if self.company_id.agency_billing_auto_post and moves:
            moves.action_post()
            self.env["agency.statement.document"]._trigger_prepare()

    # ------------------------------------------------------------------
    # INVOICE VALUES
    # ------------------------------------------------------------------

    def _prepare_invoice_vals(self, plan):
        """One invoice for a plan: a section per project (with its PO), the agreed scope first and
        out-of-scope work in its own subsection, deposits deducted at the end. The values of the
        order lines as Odoo prepares them; ``_prefill_invoice_lines`` adds what Odoo would compute."""
        partner = plan.partner
        orders = plan.orders
        vals = orders[:1]._prepare_invoice()
        if partner.agency_consolidation == "entity" and len(orders.partner_invoice_id) > 1:
            vals["partner_id"] = partner.address_get(["invoice"])["invoice"]
        pos = sorted({order.client_order_ref for order in orders if order.client_order_ref})
        vals.update(
            {
                "invoice_date": plan.date or self.date,
                "ref": ", ".join(pos) or False,
                "invoice_origin": ", ".join(orders.mapped("name")),
                "invoice_payment_term_id": partner.with_company(self.company_id).property_payment_term_id.id
                or vals.get("invoice_payment_term_id"),
                "agency_billing_key": plan.key,
                "invoice_line_ids": self._prepare_invoice_lines(plan.items),
                **({"journal_id": journal.id} if (journal := self.company_id.agency_billing_journal_id) else {}),
            }
        )
        return vals

    def _prepare_invoice_lines(self, items):
        by_project = defaultdict(list)
        deposits = []
        for line, qty in items:
            if line.is_downpayment:
                deposits.append((line, qty))
            else:
                by_project[line._agency_project()].append((line, qty))
        commands = []
        sequence = 0

        def add(values):
            nonlocal sequence
            sequence += 1
            commands.append(Command.create({**values, "sequence": sequence}))

        for project in sorted(by_project, key=lambda project: (not project, project.name or "")):
            project_items = by_project[project]
            pos = sorted(
                {line.order_id.client_order_ref for line, _qty in project_items if line.order_id.client_order_ref}
            )
            title = project.name if project else self.env._("Other work")
            if pos and all(po.upper().startswith("PO") for po in pos):  # "PO-ACME-7", not "PO PO-ACME-7"
                title = self.env._("%(project)s (%(po)s)", project=title, po=", ".join(pos))
            elif pos:
                title = self.env._("%(project)s (PO %(po)s)", project=title, po=", ".join(pos))
            add({"display_type": "line_section", "name": title})
            in_scope = [item for item in project_items if not item[0].agency_out_of_scope]
            out_of_scope = [item for item in project_items if item[0].agency_out_of_scope]
            for line, qty in in_scope:
                add(self._prepare_invoice_line(line, qty, project))
            if out_of_scope:
                add({"display_type": "line_subsection", "name": self.env._("Out of scope")})
                for line, qty in out_of_scope:
                    add(self._prepare_invoice_line(line, qty, project))
        if deposits:
            add({"display_type": "line_section", "name": self.env._("Deposits already invoiced")})
            for line, qty in deposits:
                add(self._prepare_invoice_line(line, qty, False))
        return commands

    def _prepare_invoice_line(self, line, qty, project):
        values = line._prepare_invoice_line(quantity=qty)
        values.pop("sequence", None)
        if not values.get("analytic_distribution") and project and project.account_id:
            values["analytic_distribution"] = {str(project.account_id.id): 100}
        return values
