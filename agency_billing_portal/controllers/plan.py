from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import format_date

from .talk_back import AgencyTalkBackPortal


class AgencyPlanPortal(AgencyTalkBackPortal):
    """Pay in installments: the customer chooses the number of monthly payments (and a first payment), sees
    the schedule the agency would accept, and sends it. Everything is decided by
    ``agency.payment.plan._agency_propose`` (the same method previews and makes the plan)."""

    def _agency_plan_request(self, invoice_ids, months, first_amount, default_months=False):
        """The invoices (the user's own: its rights), the months and the first payment asked for."""
        partner = self._agency_partner()
        Plan = request.env["agency.payment.plan"]
        invoices = (
            self._agency_selected_invoices(invoice_ids).with_env(request.env)
            if invoice_ids
            else Plan.sudo()._agency_plan_candidates(partner).with_env(request.env)
        )
        offer = Plan._agency_plan_offer(partner, invoices.company_id[:1] or None)
        # no choice yet: three payments (or fewer) to start from; a bad one: None, and the model asks for it
        default = min(3, offer["max_months"])
        months = default if months is None and default_months else self._cast_as_int(months)
        first = None
        if (first_amount or "").strip():
            # THE amount parser, on the invoices the user may see (sudo: it reads their transactions)
            first = invoices.sudo()._agency_parse_payment_amount(first_amount)
        return invoices, months, first, offer

    @http.route("/my/account/plan", type="http", auth="user", website=True, methods=["GET"], sitemap=False)
    def agency_plan(self, invoice_ids=None, months=None, first_amount=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "agency_plan", "agency_first_amount": first_amount or ""})
        try:
            invoices, months, first, offer = self._agency_plan_request(
                invoice_ids, months, first_amount, default_months=True
            )
            values.update(agency_invoices=invoices, agency_months=months, agency_offer=offer)
            values["agency_preview"] = request.env["agency.payment.plan"]._agency_propose(
                invoices, months, first_amount=first, preview=True
            )
        except UserError as error:
            values["agency_error"] = error.args[0]
        return request.render("agency_billing_portal.portal_my_payment_plan", values)

    @http.route("/my/account/plan", type="http", auth="user", website=True, methods=["POST"], sitemap=False)
    def agency_plan_send(self, invoice_ids=None, months=None, first_amount=None, **kw):
        try:
            invoices, months, first, _offer = self._agency_plan_request(invoice_ids, months, first_amount)
            plan = request.env["agency.payment.plan"]._agency_propose(invoices, months, first_amount=first)
        except UserError as error:
            self._agency_flash("danger", error.args[0])
            return request.redirect("/my/account/billing")
        if plan.state == "active":
            message = request.env._(
                "Thank you: your payment plan is accepted. The first payment is due on %s.",
                format_date(request.env, plan.sudo().line_ids[:1].date),
            )
        else:
            message = request.env._("Thank you: your payment plan was sent to the agency, which will answer soon.")
        self._agency_flash("success", message)
        return request.redirect("/my/account/billing#agency_payment_plans")
