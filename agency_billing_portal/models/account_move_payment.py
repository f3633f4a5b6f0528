import math
import re

from odoo import api, models
from odoo.exceptions import UserError

# at most this many digits before the decimals: anything larger is no amount a customer owes
MAX_DIGITS = 12
# what a float sent by a browser may carry beyond the currency's decimals (binary noise)
AMOUNT_NOISE = 1e-9


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
        """THE parser of an amount a customer pays online (every portal route that takes an amount calls
        it): a number (JSON) or a text with digits, the decimal separator and the digit grouping of the
        user's language ("3,040.00" in English, "3 040,00" in French) or a plain dot for decimals; more
        than zero, at most the currency's decimals and at most what is owed. Anything else (empty,
        missing, "abc", "1e309", NaN, infinity...) is refused with a UserError in the customer's language."""
        currency = self._agency_check_payable()
        owed = sum(self.mapped("amount_residual"))
        value = self._agency_amount_value(amount)
        if currency.compare_amounts(value, 0) <= 0:
            raise UserError(self.env._("The amount to pay must be more than zero."))
        if abs(value - round(value, currency.decimal_places)) > AMOUNT_NOISE:
            raise UserError(
                self.env._(
                    "An amount in %(currency)s has at most %(digits)s decimals.",
                    currency=currency.name,
                    digits=currency.decimal_places,
                )
            )
        value = currency.round(value)
        if currency.compare_amounts(value, owed) > 0:
            raise UserError(
                self.env._(
                    "The amount to pay cannot be more than what is owed: %(owed)s.",
                    owed=currency.format(owed),
                )
            )
        return value

    @api.model
    def _agency_amount_value(self, amount):
        """The number in what the customer sent (a float, or a text in its language), any sign kept;
        a UserError when it is no amount at all."""
        if isinstance(amount, bool) or amount is None:
            amount = ""
        if isinstance(amount, int | float):
            if not math.isfinite(amount) or abs(amount) >= 10**MAX_DIGITS:
                raise self._agency_not_an_amount(repr(amount))
            return float(amount)
        text = str(amount).strip() if isinstance(amount, str) else ""
        if not text:
            raise UserError(self.env._("Write the amount to pay."))
        negative = text[:1] in ("-", "\u2212")
        digits = text[1:].strip() if negative else text
        value = self._agency_amount_from_text(digits)
        if value is None:
            raise self._agency_not_an_amount(text)
        return -value if negative else value

    @api.model
    def _agency_amount_from_text(self, text):
        """``text`` as a number, read with the user's language separators or a plain dot; None if it is not one."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        point = lang.decimal_point or "."
        separator = (lang.thousands_sep or "").replace("\xa0", " ").replace("\u202f", " ")
        text = text.replace("\xa0", " ").replace("\u202f", " ")
        patterns = []
        if separator:  # grouped by thousands as the page shows amounts: "3,040.00", "3 040,00"
            patterns.append(
                (rf"[0-9]{{1,3}}(?:{re.escape(separator)}[0-9]{{3}})+(?:{re.escape(point)}[0-9]+)?", separator, point)
            )
        patterns.append((rf"[0-9]+(?:{re.escape(point)}[0-9]+)?", "", point))
        if point != ".":
            patterns.append((r"[0-9]+(?:\.[0-9]+)?", "", "."))
        for pattern, group, decimal in patterns:
            if re.fullmatch(pattern, text):
                plain = (text.replace(group, "") if group else text).replace(decimal, ".")
                integer = plain.split(".")[0]
                if len(integer) > MAX_DIGITS:
                    return None
                return float(plain)
        return None

    def _agency_not_an_amount(self, text):
        return UserError(
            self.env._(
                "“%(amount)s” is not an amount: write digits with a dot for decimals, for example %(example)s.",
                amount=text[:30],
                example="1250.50",
            )
        )

    def _agency_check_payment_means(self, partner, amount, *, provider_id, payment_method_id, token_id, flow):
        """Refuse (UserError) a provider, payment method or token the customer may not pay these invoices
        with: each must be one Odoo offers on these invoices' payment form (enabled, published, of the
        invoices' company, for this client and currency); a saved card must be the client's own."""
        currency = self.currency_id
        company = self.company_id
        refused = UserError(self.env._("This way of paying is not available for this invoice: choose another one."))
        if len(company) != 1 or flow not in ("direct", "redirect", "token"):
            raise refused
        Provider = self.env["payment.provider"].sudo()
        providers = Provider._get_compatible_providers(company.id, partner.id, amount, currency_id=currency.id)
        provider_id = provider_id if isinstance(provider_id, int) and not isinstance(provider_id, bool) else 0
        provider = providers.filtered(lambda candidate: candidate.id == provider_id)
        if not provider:
            raise refused
        if flow == "token":
            token = self.env["payment.token"].sudo().browse(token_id if isinstance(token_id, int) else 0).exists()
            if (
                not token
                or token.provider_id != provider
                or token.partner_id.commercial_partner_id != (partner.commercial_partner_id)
            ):
                raise refused
            return
        methods = (
            self.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(provider.ids, partner.id, currency_id=currency.id)
        )
        if not isinstance(payment_method_id, int) or payment_method_id not in methods.ids:
            raise refused

    @api.model
    def _agency_portal_payment_reference(self, invoices):
        """The reference of a portal payment of ``invoices``: the invoice numbers (the first one and how many
        more, for a longer selection). The same on every load of the page, readable by the customer and on a
        bank statement; Odoo makes each transaction's reference unique (``-1``, ``-2``, ...)."""
        names = invoices.sorted(lambda invoice: (invoice.invoice_date_due or invoice.date, invoice.id)).mapped("name")
        if len(names) <= 2:
            return ", ".join(names)
        return self.env._("%(invoice)s and %(count)s more", invoice=names[0], count=len(names) - 1)
