from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from .payment import AgencyPaymentPortal

TALK_BACK_KINDS = ("paid", "promise", "dispute")


class AgencyTalkBackPortal(AgencyPaymentPortal):
    """The customer answers about an invoice: "I have paid", a promise to pay by a date, or a dispute
    of the invoice or of one project's section. Each goes through the reminders' holds API, which
    checks the input, pauses the reminders, posts in the chatter and gives the agency an activity."""

    @http.route(
        "/my/invoices/<int:invoice_id>/talk/<string:kind>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def agency_talk_back(self, invoice_id, kind, access_token=None, **post):
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if kind not in TALK_BACK_KINDS or invoice_sudo.move_type not in ("out_invoice", "out_receipt"):
            return request.redirect("/my")
        try:
            message = getattr(self, f"_agency_talk_back_{kind}")(invoice_sudo, post)
        except (UserError, ValidationError) as error:
            self._agency_flash("danger", error.args[0])
        else:
            self._agency_flash("success", message)
        return request.redirect(invoice_sudo.get_portal_url(anchor="agency_talk_back"))

    def _agency_talk_back_paid(self, invoice_sudo, post):
        invoice_sudo._agency_claim_paid(reference=(post.get("reference") or "").strip() or None, origin="portal")
        return request.env._("Thank you: the agency will match your payment and stops the reminders meanwhile.")

    def _agency_talk_back_promise(self, invoice_sudo, post):
        try:
            date = fields.Date.to_date(post.get("date") or None)
        except ValueError:
            date = None
        if not date:
            raise UserError(request.env._("Choose the date by which you will pay."))
        invoice_sudo._agency_promise_to_pay(date, note=(post.get("note") or "").strip() or None, origin="portal")
        return request.env._("Thank you: your promise to pay was sent to the agency.")

    def _agency_talk_back_dispute(self, invoice_sudo, post):
        reason = (post.get("reason") or "").strip()
        section = request.env["account.move.line"]
        section_id = self._cast_as_int(post.get("section_line_id"))
        if section_id:
            section = invoice_sudo.invoice_line_ids.filtered(
                lambda line: line.id == section_id and line.display_type == "line_section"
            )
            if not section:
                raise UserError(request.env._("Choose one of the projects of this invoice."))
        invoice_sudo._agency_dispute(reason, section_line=section or None, origin="portal")
        return request.env._("Your dispute was sent to the agency: reminders are paused while it is looked at.")
