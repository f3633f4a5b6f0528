import re

from odoo import api, models
from odoo.exceptions import UserError

AMOUNT_RE = re.compile(r"^\d{1,12}(\.\d{1,6})?$")


class AccountMove(models.Model):
    """Paying from the portal, apart from the portal's pages (split by concern)."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # PORTAL PAYMENT: a selection of open invoices, or a partial amount, in one transaction
    # ------------------------------------------------------------------

    def _agency_amount_due_now(self):
        """What settles the invoice today: its residual, less the early-payment discount while it lasts."""
        self.ensure_one()
        values = self._get_invoice_next_payment_values()
        if values.get("installment_state") == "epd":
            return values["amount_due"]
        return self.amount_residual

    def _agency_check_payable(self):
        """Refuse (UserError, in the customer's language) a selection that cannot be paid together
        online: nothing chosen, paid or disputed invoices, a payment already on its way, several
        currencies, companies or clients. Returns the currency."""
        if not self:
            raise UserError(self.env._("Choose at least one invoice to pay."))
        for invoice in self:
            if invoice.payment_state == "blocked":
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s is disputed: it cannot be paid until the dispute is settled.",
                        invoice=invoice.name,
                    )
                )
            if not invoice._has_to_be_paid():
                raise UserError(
                    self.env._("Invoice %(invoice)s cannot be paid online now.", invoice=invoice.name)
                    + "\n"
                    + invoice._get_online_payment_error()
                )
        if len(self.currency_id) > 1:
            raise UserError(
                self.env._(
                    "These invoices are in different currencies (%(currencies)s): pay the invoices of "
                    "each currency separately.",
                    currencies=", ".join(self.currency_id.mapped("name")),
                )
            )
        if len(self.company_id) > 1 or len(self.commercial_partner_id) > 1:
            raise UserError(self.env._("These invoices cannot be paid together: pay them one by one."))
        return self.currency_id

    def _agency_parse_payment_amount(self, amount):
        """The amount a customer typed, checked: a plain positive number (a dot for decimals) of at
        most the currency's decimals, not more than what is owed on the invoices. Empty means all."""
        currency = self._agency_check_payable()
        total = sum(invoice._agency_amount_due_now() for invoice in self)
        owed = sum(self.mapped("amount_residual"))
        text = (amount if isinstance(amount, str) else "" if amount is None else repr(amount)).strip()
        if not text:
            return total
        if not AMOUNT_RE.match(text):
            raise UserError(
                self.env._(
                    "“%(amount)s” is not an amount: write digits with a dot for decimals, for example %(example)s.",
                    amount=text[:30],
                    example="1250.50",
                )
            )
        value = float(text)
        if currency.round(value) != value:
            raise UserError(
                self.env._(
                    "An amount in %(currency)s has at most %(digits)s decimals.",
                    currency=currency.name,
                    digits=currency.decimal_places,
                )
            )
        if currency.compare_amounts(value, 0) <= 0:
            raise UserError(self.env._("The amount to pay must be more than zero."))
        if currency.compare_amounts(value, owed) > 0:
            raise UserError(
                self.env._(
                    "The amount to pay cannot be more than what is owed: %(owed)s.",
                    owed=currency.format(owed),
                )
            )
        return value

    @api.model
    def _agency_portal_payment_reference(self, invoices):
        """The reference of a portal payment of ``invoices``: the invoice numbers (the first one and how many
        more, for a longer selection). The same on every load of the page, readable by the customer and on a
        bank statement; Odoo makes each transaction's reference unique (``-1``, ``-2``, ...)."""
        names = invoices.sorted(lambda invoice: (invoice.invoice_date_due or invoice.date, invoice.id)).mapped("name")
        if len(names) <= 2:
            return ", ".join(names)
        return self.env._("%(invoice)s and %(count)s more", invoice=names[0], count=len(names) - 1)
