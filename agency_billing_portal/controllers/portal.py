from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account_payment.controllers import portal


class PortalAccount(portal.PortalAccount):
    # EXTENDS account_payment
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the page itself, not the counters refreshed in JSON
            values["agency_account"] = self._agency_account_values()
        return values

    # EXTENDS account: show the invoice in the layout it is printed and sent with (the agency
    # invoice for billed clients), not only in the one chosen on the client.
    @http.route()
    def portal_my_invoice_detail(self, invoice_id, access_token=None, report_type=None, download=False, **kw):
        if report_type in ("html", "pdf", "text") and not (report_type == "pdf" and download):
            try:
                invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
            except (AccessError, MissingError):
                return request.redirect("/my")
            report = request.env["account.move.send"].sudo()._get_default_pdf_report_id(invoice_sudo)
            xmlid = report and report.get_external_id().get(report.id)
            if xmlid:
                request.update_context(proforma_invoice=not invoice_sudo.invoice_pdf_report_id)
                return self._show_report(
                    model=invoice_sudo, report_type=report_type, report_ref=xmlid, download=download
                )
        return super().portal_my_invoice_detail(
            invoice_id, access_token=access_token, report_type=report_type, download=download, **kw
        )

    def _agency_account_values(self):
        """The customer's account card: what its company owes, as far as this user may see."""
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return {}
        partner = request.env.user.partner_id.commercial_partner_id
        today = fields.Date.context_today(partner)
        summary = partner._agency_account_summary(today)[partner.id]
        return {
            **summary,
            "currency": request.env.company.currency_id,
            # the payment terms of one's own company, even without access to payment terms
            "terms": partner.sudo().agency_payment_terms_text,
        }
