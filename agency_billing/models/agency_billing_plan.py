"""What the billing run plans for one client: a future invoice, or a reason to leave something out.

A plain structure, not a model: plans live for one batch of a run and end up as
``agency.billing.run.line`` records (``AgencyBillingRun._plan_to_line_vals``).
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BillingPlan:
    """One invoice to make (``state`` "to_bill"), made ("billed"), or left out ("skipped", "failed")."""

    partner: Any  # res.partner, the client's commercial entity
    state: str = "to_bill"
    reason: str | bool = False  # agency.billing.run.line SKIP_REASONS
    message: str = ""
    currency: Any = None  # res.currency
    key: str | None = None  # the invoice's billing key (exactly once)
    items: list = field(default_factory=list)  # [(sale.order.line, quantity)]
    orders: Any = None  # sale.order
    sale_lines: Any = None  # sale.order.line shown on the run line (else those of ``items``)
    deposit_order: Any = None  # sale.order: a deposit invoice through Odoo's down payment
    amount: float = 0.0  # untaxed
    previous_amount: float = 0.0  # billed in the last period billed
    invoice: Any = None  # account.move, once billed
    invoice_vals: dict | None = None  # account.move values, once prepared
    date: Any = None  # the invoice date (the run's, or the client's billing day in a scheduled run)

    @property
    def to_bill(self):
        return self.state == "to_bill"

    def skip(self, reason, message):
        """Leave the plan out, with its reason."""
        self.state, self.reason, self.message = "skipped", reason, message
        return self

    def fail(self, message):
        """The plan failed on the client's data: recorded with the error, the run goes on."""
        self.state, self.reason, self.message = "failed", "error", message
        return self

    def billed(self, invoice, amount=None):
        self.state, self.invoice = "billed", invoice
        if amount is not None:
            self.amount = amount
        return self
