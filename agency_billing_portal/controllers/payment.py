from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers import payment as payment_controllers
from odoo.addons.payment import utils as payment_utils

from .account import AgencyAccountPortal


class AgencyPaymentPortal(AgencyAccountPortal):
    """Pay any selection of open invoices, or a partial amount, in one payment transaction.

    Reuses account_payment's payment form, `_get_common_page_view_values` and `_process_transaction`
    (the same flows and post-processing as `/invoice/transaction/overdue`); adds only the choice of
    invoices and of the amount, both checked again on the server when the transaction is created.
    """

    def _agency_selected_invoices(self, invoice_ids):
        """The invoices of the selection, all of which this user may see (a list, or ids separated
        by commas), in sudo; a UserError if any is not the user's."""
        if isinstance(invoice_ids, str):
            invoice_ids = invoice_ids.split(",")
        ids = {self._cast_as_int(value) for value in invoice_ids or []} - {None}
        Move = request.env["account.move"]
        if not ids or not Move.has_access("read"):
            return Move
        invoices = Move.search(
            [("id", "in", sorted(ids)), ("move_type", "in", ("out_invoice", "out_receipt"))],
            order="invoice_date_due, id",
        )
        if len(invoices) != len(ids):  # another client's, or gone: nothing of the selection is shown
            raise UserError(request.env._("Some of the chosen invoices are not yours or no longer exist."))
        # checked above with the user's rights; sudo to read their payment transactions
        return invoices.sudo()

    @http.route("/my/invoices/pay", type="http", auth="user", website=True, methods=["GET"], sitemap=False)
    def agency_pay_selection(self, invoice_ids=None, amount=None, **kw):
        ids = request.httprequest.args.getlist("invoice_ids") or (invoice_ids or "").split(",")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "agency_pay", "agency_error": False, "agency_amount_text": amount or ""})
        try:
            invoices = self._agency_selected_invoices(ids)
            chosen = invoices._agency_parse_payment_amount(amount)
        except UserError as error:
            values["agency_error"] = error.args[0]
            return request.render("agency_billing_portal.portal_pay_selection", values, status=400)
        currency = invoices.currency_id
        total = sum(invoice._agency_amount_due_now() for invoice in invoices)
        reference = invoices._agency_portal_payment_reference(invoices)
        values.update(
            {
                "agency_amount_text": f"{chosen:.{currency.decimal_places}f}",
                "agency_invoices": invoices,
                "agency_total": total,
                "agency_partial": currency.compare_amounts(chosen, total) < 0,
                "amount": chosen,
                "currency": currency,
                "payment": {"reference": reference, "amount": chosen, "currency": currency},
                **self._get_common_page_view_values(
                    invoices_data={
                        "partner": invoices.partner_id[:1],
                        "company": invoices.company_id,
                        "total_amount": chosen,
                        "currency": currency,
                        "amount_residual": chosen,
                        "payment_reference": reference,
                        # a selection's transaction lands on Odoo's payment confirmation (set once it exists)
                        "landing_route": "/my/invoices" if len(invoices) > 1 else invoices.access_url,
                        "transaction_route": "/my/invoices/pay/transaction/" + ",".join(map(str, invoices.ids)),
                    },
                    **kw,
                ),
            }
        )
        return request.render("agency_billing_portal.portal_pay_selection", values)

    @http.route("/my/invoices/pay/transaction/<string:invoice_ids>", type="jsonrpc", auth="user")
    def agency_pay_selection_transaction(self, invoice_ids, amount=None, payment_reference=None, **kwargs):
        """Create the payment transaction of a selection (ids separated by commas) for an amount."""
        try:
            invoices = self._agency_selected_invoices(invoice_ids)
            amount = invoices._agency_parse_payment_amount("" if amount is None else str(amount))
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        kwargs.pop("access_token", None)
        self._validate_transaction_kwargs(kwargs)
        reference = payment_reference or invoices._agency_portal_payment_reference(invoices)
        values = self._process_transaction(
            request.env.user.partner_id.id, invoices.currency_id.id, invoices.ids, reference, amount=amount, **kwargs
        )
        if len(invoices) > 1:
            self._agency_land_on_confirmation(values["reference"])
        return values

    @staticmethod
    def _agency_land_on_confirmation(reference):
        """After paying a selection, the customer lands on Odoo's payment confirmation of the transaction
        (its status, amount and reference), not on a list of invoices that says nothing."""
        tx_sudo = request.env["payment.transaction"].sudo().search([("reference", "=", reference)], limit=1)
        token = payment_utils.generate_access_token(tx_sudo.partner_id.id, tx_sudo.amount, tx_sudo.currency_id.id)
        tx_sudo.landing_route = f"/payment/confirmation?{urlencode({'tx_id': tx_sudo.id, 'access_token': token})}"


class AgencyInvoiceTransaction(payment_controllers.PaymentPortal):
    # EXTENDS account_payment: Odoo's own route to pay one invoice takes the amount the browser sends;
    # it gets the same server-side check as a selection (more than zero, at most what is owed).
    @route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        if kwargs.get("amount") is not None:
            try:
                invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
            except (AccessError, MissingError):
                raise ValidationError(request.env._("The access token is invalid.")) from None
            try:
                invoice_sudo._agency_parse_payment_amount(str(kwargs["amount"]))
            except UserError as error:
                raise ValidationError(error.args[0]) from None
        return super().invoice_transaction(invoice_id, access_token, **kwargs)
