from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from ..models.account_move_receipt import RECEIPT_REPORT
from .portal import PortalAccount


class AgencyAccountPortal(PortalAccount):
    """My account: balance, ageing, next due date, what was raised, suggestions, and the statement
    for a chosen period as a page, a PDF and a spreadsheet (the agency's customer statement)."""

    def _agency_partner(self):
        """The client whose account the user sees: its commercial entity."""
        return request.env.user.partner_id.commercial_partner_id

    def _agency_may_see_statement(self):
        """A contact kept to its own documents sees no company-wide statement."""
        partner = self._agency_partner()
        return request.env["account.move"].has_access("read") and not partner.agency_portal_own_documents

    def _agency_period(self, date_from, date_to):
        """The statement period asked for (bounded), or the default one; an error message for a bad one."""
        Statement = request.env["agency.customer.statement"].with_context(tz=request.env.user.tz)
        return Statement._agency_portal_period(self._agency_partner(), date_from, date_to)

    @http.route("/my/account/billing", type="http", auth="user", website=True, readonly=True)
    def agency_my_account(self, **kw):
        partner = self._agency_partner()
        if not request.env["account.move"].has_access("read"):
            return request.redirect("/my")
        today = fields.Date.context_today(partner)
        date_from, date_to, _error = self._agency_period(None, None)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "agency_account",
                "agency_partner": partner,
                "agency_summary": partner._agency_account_summary(today)[partner.id],
                "agency_ageing": partner.sudo()._agency_portal_ageing(today)
                if self._agency_may_see_statement()
                else [],
                "agency_ageing_labels": request.env["agency.customer.statement"]._ageing_labels(),
                "agency_currency": request.env.company.currency_id,
                "agency_terms": partner.sudo().agency_payment_terms_text,
                "agency_may_see_statement": self._agency_may_see_statement(),
                "agency_holds": self._agency_holds(partner),
                "agency_suggestions": self._agency_suggestions(partner),
                "agency_receipts": request.env["account.move"]._agency_portal_recent_receipts(request.env.user),
                "agency_plans": self._agency_plans(),
                "agency_can_plan": self._agency_can_plan(partner),
                "agency_autopay": request.env["agency.autopay.mandate"]._agency_autopay_portal_values(
                    request.env.company
                ),
                "agency_flash": request.session.pop("agency_portal_flash", None),
                "date_from": date_from,
                "date_to": date_to,
            }
        )
        return request.render("agency_billing_portal.portal_my_account_billing", values)

    def _agency_plans(self):
        """The client's payment plans the user may read (the record rules), the running and waiting first."""
        Plan = request.env["agency.payment.plan"]
        if not Plan.has_access("read"):
            return Plan
        plans = Plan.search([("state", "!=", "cancelled")], order="create_date desc, id desc", limit=5)
        return plans.sorted(lambda plan: plan.state not in ("proposed", "active"))

    def _agency_can_plan(self, partner):
        """Whether "Pay in installments" is offered: the profile allows plans and something may go in one."""
        Plan = request.env["agency.payment.plan"]
        if not request.env["account.move"].has_access("read") or Plan._agency_plan_offer(partner)["max_months"] < 2:
            return False
        return bool(Plan.sudo()._agency_plan_candidates(partner).with_env(request.env)._filtered_access("read"))

    @http.route("/my/account/autopay", type="http", auth="user", website=True, methods=["POST"], sitemap=False)
    def agency_my_autopay(self, action=None, token_id=None, **post):
        """Turn autopay on (with a saved payment method) or off for the user's own client account; the
        model checks the token and the company before any write."""
        Mandate = request.env["agency.autopay.mandate"]
        company = request.env.company
        try:
            if action == "on":
                if post.get("consent") != "1":
                    raise UserError(request.env._("Tick the box to agree to the automatic payments."))
                Mandate._agency_autopay_turn_on(self._cast_as_int(token_id), company.id)
                self._agency_flash("success", request.env._("Autopay is on: your invoices are paid on their due date."))
            elif action == "off":
                Mandate._agency_autopay_portal_turn_off(company.id)
                self._agency_flash("success", request.env._("Autopay is off: you pay your invoices yourself."))
        except UserError as error:
            self._agency_flash("danger", error.args[0])
        return request.redirect("/my/account/billing#agency_autopay")

    def _agency_suggestions(self, partner):
        """The services suggested to this client (upsell addon), if any."""
        if not hasattr(partner, "_agency_recommendations"):
            return []
        return partner.sudo()._agency_recommendations(limit=3)

    @http.route("/my/account/statement", type="http", auth="user", website=True, readonly=True)
    def agency_my_statement(self, date_from=None, date_to=None, **kw):
        if not self._agency_may_see_statement():
            return request.redirect("/my/account/billing")
        partner = self._agency_partner()
        start, end, error = self._agency_period(date_from, date_to)
        statement = partner.sudo().with_context(lang=request.env.lang)._agency_statement_data(start, end)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "agency_statement",
                "statement": statement,
                "agency_receipt_ids": self._agency_statement_receipt_ids(statement),
                "agency_error": error,
                "date_from": start,
                "date_to": end,
            }
        )
        return request.render("agency_billing_portal.portal_my_statement", values)

    @staticmethod
    def _agency_statement_receipt_ids(statement):
        """The payments of the statement whose receipt the customer may download (one query)."""
        moves = request.env["account.move"].union(
            *(line["move"] for block in statement["currencies"] for line in block["lines"] if line["kind"] == "payment")
        )
        return set(moves.with_env(request.env)._agency_portal_receipt_filter(request.env.user).ids)

    # not readonly: the PDF's rendering may store the report's assets
    @http.route("/my/account/receipt/<int:move_id>", type="http", auth="user", website=True, methods=["GET"])
    def agency_my_receipt(self, move_id, **kw):
        """The receipt of one of the client's payments, as a PDF in the customer's language."""
        move = request.env["account.move"].browse(move_id)._agency_portal_receipt_filter(request.env.user)
        if not move:
            self._agency_flash(
                "warning", request.env._("This payment receipt is not available. Your payments are on your statement.")
            )
            return request.redirect("/my/account/billing")
        move = move.with_context(lang=request.env.lang)
        content, _type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(move.company_id)
            .with_context(lang=request.env.lang)
            ._render_qweb_pdf(RECEIPT_REPORT, move.ids)
        )
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(content)),
            ("Content-Disposition", content_disposition(move._agency_receipt_filename())),
            ("X-Content-Type-Options", "nosniff"),
        ]
        return request.make_response(content, headers)

    @http.route("/my/account/statement/<string:file_format>", type="http", auth="user", website=True)
    def agency_my_statement_download(self, file_format, date_from=None, date_to=None, **kw):
        if file_format not in ("pdf", "xlsx") or not self._agency_may_see_statement():
            return request.redirect("/my/account/billing")
        start, end, error = self._agency_period(date_from, date_to)
        if error:
            return request.redirect("/my/account/statement")
        partner = self._agency_partner()
        content, mimetype = getattr(self, f"_agency_statement_{file_format}")(partner, start, end)
        filename = request.env._(
            "Statement %(client)s %(date_from)s %(date_to)s", client=partner.name, date_from=start, date_to=end
        )
        headers = [
            ("Content-Type", mimetype),
            ("Content-Length", len(content)),
            ("Content-Disposition", content_disposition(f"{filename}.{file_format}")),
            ("X-Content-Type-Options", "nosniff"),
        ]
        return request.make_response(content, headers)

    def _agency_statement_pdf(self, partner, start, end):
        # only the period prepared ahead is stored: any other is rendered for this download alone
        store = request.env["agency.customer.statement"]._agency_portal_period_is_default(start, end)
        return partner.sudo()._agency_statement_pdf(start, end, request.env.company, store=store), "application/pdf"

    def _agency_statement_xlsx(self, partner, start, end):
        Statement = request.env["agency.customer.statement"].sudo().with_context(lang=request.env.lang)
        content = Statement._get_statement_xlsx(partner, start, end)
        return content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @http.route("/my/account/quote", type="http", auth="user", website=True, methods=["POST"])
    def agency_request_quote(self, product_id=None, **kw):
        """Request a quote for one of the services suggested to the client."""
        partner = self._agency_partner()
        product = request.env["product.product"].sudo().browse(self._cast_as_int(product_id) or 0).exists()
        try:
            if not product or not hasattr(partner, "_agency_request_quote"):
                raise UserError(request.env._("This service cannot be quoted: choose one of your suggestions."))
            partner.sudo()._agency_request_quote(product, origin="portal")
        except UserError as error:
            self._agency_flash("danger", error.args[0])
        else:
            self._agency_flash(
                "success",
                request.env._(
                    "Thank you: your request for a quote for %(service)s was sent to the agency.",
                    service=product.display_name,
                ),
            )
        return request.redirect("/my/account/billing")
