from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain

# an invoice in one of these states is not charged (as for an installment)
NOT_CHARGED = ("paid", "in_payment", "blocked", "reversed")


class AgencyAutopayMandate(models.Model):
    """Autopay pays payment plans: the invoices of a running plan are charged per plan payment (what is left of
    it, from its date less the company's days before) instead of per installment."""

    _inherit = "agency.autopay.mandate"

    def _agency_autopay_items(self, date):
        """EXTENDS autopay: an item per open payment of a running plan (key ``plan-line-<id>``, the amount what is
        left of it, ``agency.payment.plan._agency_progress``) replaces the items of the plan's invoices."""
        items = super()._agency_autopay_items(date)
        date = fields.Date.to_date(date)
        Plan = self.env["agency.payment.plan"].sudo()
        moves = self.env["account.move"].union(*(item["moves"] for item in items))
        planned = set(Plan._agency_plan_for_moves(moves))
        # a plan broken after autopay's last failed try of one of its payments: its invoices leave autopay
        broken = Plan.search([("state", "=", "broken"), ("invoice_ids", "in", moves.ids)])
        gave_up = self.env["agency.autopay.charge"]._agency_autopay_gave_up(
            [line._agency_autopay_key() for line in broken.line_ids]
        )
        planned |= set(
            broken.filtered(
                lambda plan: any(line._agency_autopay_key() in gave_up for line in plan.line_ids)
            ).invoice_ids.ids
        )
        items = [item for item in items if not set(item["moves"].ids) & planned]
        mandates = (self or self.search([("state", "=", "on")])).filtered(
            lambda mandate: (
                mandate.state == "on"
                and mandate.token_id.active
                and mandate.token_id.provider_id.company_id == mandate.company_id
            )
        )
        if not mandates:
            return items
        plans = Plan.search(
            [
                ("state", "=", "active"),
                ("partner_id", "in", mandates.partner_id.ids),
                ("company_id", "in", mandates.company_id.ids),
            ]
        )
        return items + self._agency_autopay_plan_items(mandates, plans, date)

    def _agency_autopay_plan_items(self, mandates, plans, date):
        """The items of the running ``plans`` of ``mandates``' clients on ``date``: their open payments whose
        date has come, unless an invoice of the plan has an online payment on its way or a hold, or the
        client is on hold, or the amount is above the client's ceiling."""
        if not plans:
            return []
        by_client = {(mandate.partner_id.id, mandate.company_id.id): mandate for mandate in mandates}
        pending = self.env["res.partner"]._agency_reminder_pending_payments(plans.invoice_ids)
        Hold = self.env["agency.reminder.hold"].sudo()
        holds = Hold.search_fetch(
            Hold._agency_active_domain(date) & Domain("partner_id", "in", plans.partner_id.ids),
            ["partner_id", "move_id", "section_line_id"],
        )
        held_moves = set(holds.filtered(lambda hold: hold.move_id and not hold.section_line_id).move_id.ids)
        held_clients = {hold.partner_id.id for hold in holds if not hold.move_id}
        progress = plans._agency_progress(date)
        items = []
        for plan in plans:
            mandate = by_client.get((plan.partner_id.id, plan.company_id.id))
            moves = plan.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.payment_state not in NOT_CHARGED
            )
            if (
                not mandate
                or not moves
                or plan.partner_id.id in held_clients
                or set(moves.ids) & (set(pending) | held_moves)
            ):
                continue
            before = timedelta(days=plan.company_id.agency_autopay_days_before)
            for line in plan.line_ids:
                done = progress[plan.id]["lines"][line.id]
                currency = plan.currency_id
                if done["state"] == "paid" or line.date - before > date:
                    continue
                if mandate._agency_autopay_above_ceiling(done["left"], currency, date):
                    continue
                items.append(
                    {
                        "key": line._agency_autopay_key(),
                        "mandate": mandate,
                        "company": plan.company_id,
                        "partner": plan.partner_id,
                        "moves": moves,
                        "amount": done["left"],
                        "currency": currency,
                        "due_date": line.date,
                    }
                )
        return items
