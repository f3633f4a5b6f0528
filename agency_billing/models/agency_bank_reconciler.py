"""Writing the matcher's decisions, and reconciling the certain ones, in batch.

A certain match is reconciled as OCA's ``account_reconcile_oca`` reconciles a statement line in its
default mode (the journal's *Edit Move*, ``_reconcile_bank_line_edit``): the statement line's suspense
line is replaced by counterpart lines on the client's receivable account (one per invoice installment
paid, oldest due first, and one more for what a transfer pays beyond them: the client's credit), each
counterpart is reconciled with its installment by Odoo's own ``_reconcile_plan``, and OCA's draft
(``reconcile_data``) is cleared. OCA does it line by line, 1.5 s each on a big statement (every line
reads and recomputes the draft of the whole statement); here the same lines are written for all the
statement's certain matches at once: one ``unlink``, one ``create``, one ``_reconcile_plan``. The
result is the same journal items, partials and receipts (``test_bank_reconcile_batch.py`` compares
both paths). A journal in OCA's other mode (*Keep Suspense Accounts*) is reconciled line by line by
OCA itself (and every journal, with the context key ``agency_bank_reconcile_per_line``).
"""

from collections import defaultdict

from odoo import api, models
from odoo.tools import float_compare, float_is_zero

SYNC_CONTEXT = {
    "skip_account_move_synchronization": True,
    "skip_readonly_check": True,
    "check_move_validity": False,
}
LINE_CONTEXT = {
    "check_move_validity": False,
    "skip_sync_invoice": True,
    "skip_invoice_sync": True,
    "validate_analytic": True,
}


class AgencyBankReconciler(models.AbstractModel):
    _name = "agency.bank.reconciler"
    _description = "Bank Transfer Reconciliation"

    @api.model
    def _agency_apply(self, decisions):
        """Write the decisions on their lines; reconcile the certain ones. Returns the lines reconciled."""
        Line = self.env["account.bank.statement.line"]
        Move = self.env["account.move"]
        moves_of = {
            line.id: Move.union(*decision["moves"]) if decision["moves"] else Move for line, decision in decisions
        }
        certain = [(line, moves_of[line.id]) for line, decision in decisions if decision["state"] == "auto"]
        done = self._agency_reconcile_many(certain)
        reconciled_ids, prefilled_ids = [], []
        for line, decision in decisions:
            moves = moves_of[line.id]
            values = {
                "agency_match_state": decision["state"],
                "agency_match_kind": decision["kind"],
                "agency_match_note": decision["note"] or False,
                "agency_match_move_ids": [(6, 0, moves.ids)],
                "agency_payer_partner_id": decision["payer"] and decision["payer"].id,
            }
            if decision["state"] == "auto":
                if line.id in done:
                    reconciled_ids.append(line.id)
                else:
                    values.update(agency_match_state="suggested", agency_match_kind=False)
            elif decision["state"] == "suggested" and moves:
                self._agency_prefill(line, moves)
                prefilled_ids.append(line.id)
            line.write(values)
        self._agency_sync_partners(Line.browse(prefilled_ids))
        reconciled = Line.browse(reconciled_ids)
        for line in reconciled:
            if done[line.id]:
                self._agency_tell_overpayment(line, moves_of[line.id], done[line.id])
        return reconciled

    # ------------------------------------------------------------------
    # OCA's reconciliation data
    # ------------------------------------------------------------------

    @api.model
    def _agency_reconcile_data(self, line, moves, sync_partner=True):
        """OCA's reconciliation data of ``line`` against the receivable lines of ``moves``, oldest due
        first, never more than the transfer: ``(data, overpaid)``. The line takes the client of
        ``moves`` as its partner (its journal entry too, unless ``sync_partner`` is false: the caller
        then writes the entries itself)."""
        partner = moves[:1].commercial_partner_id
        if line.partner_id != partner:
            if sync_partner:
                line.partner_id = partner
            else:
                line.with_context(skip_account_move_synchronization=True).partner_id = partner
        data = []
        aux = 1
        liquidity_lines, _suspense_lines, _other_lines = line._seek_for_lines()
        for liquidity in liquidity_lines:
            aux, vals = line._get_reconcile_line(liquidity, "liquidity", reconcile_auxiliary_id=aux, move=True)
            data += vals
        currency = line._get_reconcile_currency()
        remaining = line.amount_currency if line.foreign_currency_id else line.amount
        receivables = moves.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        ).sorted(lambda aml: (aml.date_maturity or aml.date, aml.id))
        for receivable in receivables:
            if float_compare(remaining, 0, precision_rounding=currency.rounding) <= 0:
                break
            aux, vals = line._get_reconcile_line(
                receivable,
                "other",
                is_counterpart=True,
                max_amount=currency.round(remaining),
                reconcile_auxiliary_id=aux,
                move=True,
            )
            data += vals
            remaining -= min(remaining, receivable.amount_residual_currency)
        info = line._recompute_suspense_line(data, aux, line.manual_reference)
        overpaid = 0.0 if float_is_zero(remaining, precision_rounding=currency.rounding) else remaining
        return info, overpaid

    @api.model
    def _agency_prefill(self, line, moves):
        """Leave the best suggestion ready in OCA's reconciliation screen: one click confirms it (the
        caller gives the journal entry its client: ``_agency_sync_partners``)."""
        info, _overpaid = self._agency_reconcile_data(line, moves[:1], sync_partner=False)
        line.reconcile_data_info = info

    # ------------------------------------------------------------------
    # RECONCILING
    # ------------------------------------------------------------------

    @api.model
    def _agency_reconcile_one(self, line, moves):
        """OCA's own path, one line: ``(done, overpaid amount)``."""
        info, overpaid = self._agency_reconcile_data(line, moves)
        if not info.get("can_reconcile"):
            return False, 0.0
        line.reconcile_data_info = info
        line.reconcile_bank_line()
        return line.is_reconciled, overpaid

    @api.model
    def _agency_reconcile_many(self, items):
        """Reconcile every ``(statement line, invoices)`` of ``items``: ``{line id: overpaid amount}``
        of those reconciled. What OCA's ``_reconcile_bank_line_edit`` does per line, for all at once."""
        done = {}
        batch = []  # (line, OCA's lines to create)
        for line, moves in items:
            if line.journal_id.reconcile_mode != "edit" or self.env.context.get("agency_bank_reconcile_per_line"):
                ok, overpaid = self._agency_reconcile_one(line, moves)
                if ok:
                    done[line.id] = overpaid
                continue
            info, overpaid = self._agency_reconcile_data(line, moves, sync_partner=False)
            if info.get("can_reconcile"):
                batch.append((line, line._prepare_reconcile_line_data(info["data"])))
                done[line.id] = overpaid
        if not batch:
            return done
        Aml = self.env["account.move.line"]
        st_lines = self.env["account.bank.statement.line"].union(*(line for line, _data in batch))
        self._agency_sync_partners(st_lines)
        removed_ids = []
        for line in st_lines:
            _liquidity, suspense, other = line._seek_for_lines()
            removed_ids += (suspense | other).ids
        removed = Aml.browse(removed_ids)
        moves = st_lines.move_id
        plan = []
        with moves._check_balanced({"records": moves}):
            removed.with_context(
                skip_account_move_synchronization=True,
                force_delete=True,
                skip_invoice_sync=True,
                skip_readonly_check=True,
            ).unlink()
            values, counterparts = [], []
            for line, data in batch:
                for line_vals in data:
                    if line_vals["kind"] == "liquidity":
                        continue
                    values.append(line._reconcile_move_line_vals(line_vals))
                    counterparts.append(Aml.browse(line_vals.get("counterpart_line_ids") or []))
            created = Aml.with_context(**LINE_CONTEXT).create(values)
            plan = [
                invoice_lines + new for invoice_lines, new in zip(counterparts, created, strict=True) if invoice_lines
            ]
        Aml._reconcile_plan(plan)
        for mode, lines in st_lines.grouped(lambda line: line.journal_id.reconcile_mode).items():
            lines.write({"reconcile_mode": mode, "reconcile_data": False})
        return {line_id: overpaid for line_id, overpaid in done.items() if st_lines.browse(line_id).is_reconciled}

    @api.model
    def _agency_sync_partners(self, st_lines):
        """The journal entries of ``st_lines`` take the statement line's client (entry, bank and suspense
        items), as OCA's ``_synchronize_to_moves`` does for a partner, in one write per client."""
        Aml = self.env["account.move.line"]
        by_partner = defaultdict(lambda: (Aml, self.env["account.move"]))
        for line in st_lines:
            if line.move_id.partner_id != line.partner_id:
                liquidity, suspense, _other = line._seek_for_lines()
                items, moves = by_partner[line.partner_id.id]
                by_partner[line.partner_id.id] = (items | liquidity | suspense, moves | line.move_id)
        for partner_id, (items, moves) in by_partner.items():
            items.with_context(**SYNC_CONTEXT).write({"partner_id": partner_id})
            moves.with_context(**SYNC_CONTEXT).write({"partner_id": partner_id})

    @api.model
    def _agency_tell_overpayment(self, line, moves, overpaid):
        last = moves.sorted(lambda move: (move.invoice_date_due or move.date, move.id))[-1:]
        currency = line.foreign_currency_id or line.currency_id
        user = last.invoice_user_id or last.commercial_partner_id.user_id or self.env.user
        last.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=self.env._("Overpaid by %s: client credit", currency.format(overpaid)),
            note=self.env._(
                "The bank transfer of %(date)s (%(ref)s) paid %(overpaid)s more than %(names)s: the difference "
                "stays on %(client)s's account as credit, to refund or to set against a next invoice.",
                date=line.date,
                ref=line.payment_ref,
                overpaid=currency.format(overpaid),
                names=", ".join(moves.mapped("name")),
                client=last.commercial_partner_id.display_name,
            ),
        )
