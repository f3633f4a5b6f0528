from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import content_disposition, request

from odoo.addons.account_payment.controllers import portal

from ..models.account_move import PORTAL_STATUSES


class PortalAccount(portal.PortalAccount):
    # EXTENDS account_payment
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the page itself, not the counters refreshed in JSON
            values["agency_account"] = self._agency_account_values()
        return values

    # ------------------------------------------------------------------
    # Invoice page and documents
    # ------------------------------------------------------------------

    # EXTENDS account: show the invoice in the layout it is printed and sent with (the agency
    # invoice for billed clients), titled as the invoice it is (never "Proforma" once posted).
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
                request.update_context(proforma_invoice=invoice_sudo.state != "posted")
                return self._show_report(
                    model=invoice_sudo, report_type=report_type, report_ref=xmlid, download=download
                )
        return super().portal_my_invoice_detail(
            invoice_id, access_token=access_token, report_type=report_type, download=download, **kw
        )

    def _get_http_headers(self, model, report_type, report, download):
        # EXTENDS portal: an invoice's PDF has one name, the back office's (ACME-2026-10-0002.pdf), not
        # the portal's own underscored one (ACME_2026_10_0002.pdf)
        headers = super()._get_http_headers(model, report_type, report, download)
        if report_type == "pdf" and model._name == "account.move" and len(model) == 1:
            filename = model._get_invoice_report_filename(
                report=request.env["account.move.send"].sudo()._get_default_pdf_report_id(model)
            )
            headers["Content-Disposition"] = content_disposition(
                filename, disposition_type="attachment" if download else "inline"
            )
        return headers

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        # EXTENDS account_payment: the project breakdown, what the customer raised, the early-payment
        # deadline and the installments; the agency learns when the customer first opened it.
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        if not request.env.user._is_internal():  # the agency's own look does not count
            invoice._agency_mark_viewed()
        next_payment = invoice._get_invoice_next_payment_values()
        values.update(
            {
                "agency_sections": invoice._agency_portal_sections(),
                "agency_installments": next_payment.get("not_reconciled_installments", [])
                if len(invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")) > 1
                else [],
                "agency_epd": next_payment if next_payment.get("installment_state") == "epd" else False,
                "agency_holds": self._agency_holds(invoice),
                # the one disputed amount (taxes included) of account.move, as reminders and late fees see it
                "agency_disputed": invoice._agency_disputed_amounts().get(invoice, 0.0),
                "agency_flash": request.session.pop("agency_portal_flash", None),
                "agency_can_talk_back": invoice.state == "posted"
                and invoice.move_type in ("out_invoice", "out_receipt")
                and not invoice.currency_id.is_zero(invoice.amount_residual),
                "agency_payment_in_progress": invoice._agency_portal_payment_in_progress(),
                "agency_today": fields.Date.context_today(invoice),
                # a running or waiting payment plan of this invoice (the one method reminders and fees ask)
                "agency_plan": request.env["agency.payment.plan"]
                .sudo()
                ._agency_plan_for_moves(invoice, ("proposed", "active"))
                .get(invoice.id),
            }
        )
        return values

    def _agency_holds(self, invoice_or_partner):
        """What the customer raised on an invoice (anyone with its link sees it) or, on the account page,
        what the user may see of its client's (the record rules: its own invoices' for a contact kept to
        its own documents); never what staff set, nor staff's reasons."""
        Hold = request.env["agency.reminder.hold"]
        domain = Hold._agency_customer_domain()
        if invoice_or_partner._name == "account.move":
            domain &= Domain("move_id", "=", invoice_or_partner.id)
            Hold = Hold.sudo()  # the invoice was checked (its access token or the user's rights)
        elif not Hold.has_access("read"):
            return Hold
        else:
            domain &= Domain("partner_id", "=", invoice_or_partner.id)
        return Hold.search(domain, order="create_date desc, id desc", limit=20)

    @staticmethod
    def _agency_flash(level, message):
        """A message shown once on the next page (after a form was posted)."""
        request.session["agency_portal_flash"] = {"level": level, "message": message}

    # ------------------------------------------------------------------
    # Invoice list: filters by status and by project
    # ------------------------------------------------------------------

    def _get_account_searchbar_filters(self):
        # EXTENDS account
        filters = super()._get_account_searchbar_filters()
        Move = request.env["account.move"]
        labels = {
            "open": request.env._("Open"),
            "overdue": request.env._("Overdue"),
            "paid": request.env._("Paid"),
            "disputed": request.env._("Disputed"),
        }
        filters.pop("overdue_invoices", None)  # replaced by ours: the whole client's, not one contact's
        # vendor bills only for who has some (as Odoo's portal home counts them)
        if "bills" in filters and not Move.search_count(self._get_invoices_domain("in"), limit=1):
            filters.pop("bills")
        for status in PORTAL_STATUSES:
            filters[status] = {"label": labels[status], "domain": Move._agency_portal_status_domain(status)}
        return filters

    def _prepare_my_invoices_values(  # noqa: PLR0917
        self, page, date_begin, date_end, sortby, filterby, domain=None, url="/my/invoices"
    ):
        # EXTENDS account (Odoo's positional signature)
        if filterby == "overdue_invoices":  # Odoo's own links (home tile) keep working
            filterby = "overdue"
        if filterby and filterby not in self._get_account_searchbar_filters():
            filterby = None
        project = self._cast_as_int(request.params.get("project"))
        if project:
            # the project of the order lines, read in sudo (customers may not read projects); the
            # invoices themselves stay under the customer's rules
            billed = request.env["account.move"].sudo()._search([("agency_project_ids", "in", [project])])
            domain = Domain(domain or Domain.TRUE) & Domain("id", "in", billed)
        values = super()._prepare_my_invoices_values(page, date_begin, date_end, sortby, filterby, domain, url)
        projects = self._agency_invoice_projects()
        if project and project not in projects.ids:
            project = None
        values["pager"]["url_args"]["project"] = project
        values.update({"agency_projects": projects, "agency_project": project})
        return values

    def _agency_invoice_projects(self):
        """The projects billed on the invoices this customer may see (one aggregate query)."""
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return request.env["project.project"]
        # the invoices the user may see (its record rules, as a subquery), their order lines' projects
        visible = Move._search(self._get_invoices_domain("out"))
        sale_lines = request.env["sale.order.line"].sudo().search([("invoice_lines.move_id", "in", visible)])
        projects = sale_lines.project_id | sale_lines.order_id.project_id
        # and the projects whose analytic account lines written by hand are booked on (one grouped query)
        booked = (
            request.env["account.move.line"]
            .sudo()
            ._read_group(
                [("move_id", "in", visible), ("analytic_distribution", "!=", False)],
                ["analytic_distribution"],
                ["__count"],
            )
        )
        account_ids = [account_id for account_id, _count in booked if account_id]
        if account_ids:
            projects |= request.env["project.project"].sudo().search([("account_id", "in", account_ids)])
        return projects.sorted("name")

    # ------------------------------------------------------------------
    # Account card (portal home)
    # ------------------------------------------------------------------

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
