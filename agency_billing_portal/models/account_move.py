from odoo import api, fields, models
from odoo.fields import Domain

PORTAL_STATUSES = ("open", "overdue", "paid", "disputed")


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_first_viewed_date = fields.Datetime(
        string="First Viewed by Client",
        copy=False,
        readonly=True,
        help="When the client first opened this invoice on the portal.",
    )
    agency_project_ids = fields.Many2many(
        "project.project",
        string="Projects",
        compute="_compute_agency_project_ids",
        search="_search_agency_project_ids",
        help="The projects whose work this invoice bills (from its order lines).",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends(
        "invoice_line_ids.sale_line_ids.project_id",
        "invoice_line_ids.sale_line_ids.order_id.project_id",
        "invoice_line_ids.analytic_distribution",
    )
    def _compute_agency_project_ids(self):
        for move in self:
            move.agency_project_ids = move.invoice_line_ids._agency_projects()

    def _search_agency_project_ids(self, operator, value):
        # a line's project is its own or its order's (sale_order_line._agency_project), or the project whose
        # analytic account the line is booked on (an invoice line written by hand, without an order)
        if operator not in ("in", "any"):
            return NotImplemented
        projects = self.env["project.project"].sudo()
        projects = projects.browse(value) if operator == "in" else projects.search(value)
        domain = Domain("invoice_line_ids.sale_line_ids.project_id", "in", projects.ids) | Domain(
            "invoice_line_ids.sale_line_ids.order_id.project_id", "in", projects.ids
        )
        if projects.account_id:
            domain |= Domain("invoice_line_ids.analytic_distribution", "in", projects.account_id.ids)
        return domain

    # ------------------------------------------------------------------
    # PORTAL
    # ------------------------------------------------------------------

    @api.model
    def _agency_portal_status_domain(self, status):
        """The invoices of one status of the portal's filter (open, overdue, paid, disputed)."""
        return getattr(self, f"_agency_portal_status_domain_{status}")()

    @api.model
    def _agency_portal_status_domain_open(self):
        return self._agency_open_domain()

    @api.model
    def _agency_portal_status_domain_overdue(self):
        return self._agency_overdue_domain(fields.Date.context_today(self))

    @api.model
    def _agency_portal_status_domain_paid(self):
        return Domain("payment_state", "in", ("paid", "in_payment"))

    @api.model
    def _agency_portal_status_domain_disputed(self):
        """Blocked invoices, and open ones with one project's section disputed."""
        section_disputed = Domain(
            "agency_reminder_hold_ids",
            "any",
            [("kind", "=", "dispute"), ("state", "=", "open"), ("section_line_id", "!=", False)],
        )
        return self._agency_disputed_domain() | (self._agency_open_domain() & section_disputed)

    def _agency_portal_can_select(self):
        """Whether the customer may tick this invoice in its list to pay it with others."""
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.payment_state in ("not_paid", "partial")
            and self.sudo()._has_to_be_paid()
        )

    def _agency_portal_payment_in_progress(self):
        """Whether an online payment of this invoice is on its way (Odoo's page says so): the customer is not
        offered to tell the agency it has paid meanwhile."""
        self.ensure_one()
        last = self.sudo().get_portal_last_transaction()
        return self.payment_state == "in_payment" or last.state in ("pending", "authorized")

    def _agency_mark_viewed(self):
        """Record when the client first opened the invoice (the caller leaves the agency's own views out)."""
        to_mark = self.filtered(lambda move: not move.agency_first_viewed_date and move.state == "posted")
        if to_mark:
            to_mark.sudo().write({"agency_first_viewed_date": fields.Datetime.now()})

    def _agency_portal_sections(self):
        """The per-project breakdown of a consolidated invoice for its portal page: one entry per
        section (``line_section``) with its subtotal, or nothing when the invoice has no sections."""
        self.ensure_one()
        sections, current = [], None
        for line in self.invoice_line_ids.sorted(lambda line: (line.sequence, line.id)):
            if line.display_type == "line_section":
                current = {"line": line, "name": line.name, "subtotal": 0.0, "count": 0}
                sections.append(current)
            elif line.display_type == "product" and current is not None:
                current["subtotal"] += line.price_subtotal
                current["count"] += 1
        return [section for section in sections if section["count"]]

    # ------------------------------------------------------------------
    # DOCUMENTS: the agency invoice, never a pro forma, for a posted invoice
    # ------------------------------------------------------------------

    def _get_invoice_pdf_proforma(self):
        # EXTENDS account: a posted invoice never sent has no stored PDF; Odoo then serves a pro
        # forma in its standard layout. The client gets the invoice it is, in the layout it is sent with.
        self.ensure_one()
        if self.state != "posted" or not self.is_sale_document(include_receipts=True):
            return super()._get_invoice_pdf_proforma()
        report = self.env["account.move.send"]._get_default_pdf_report_id(self)
        content, report_type = (
            self.env["ir.actions.report"]
            .with_company(self.company_id)
            ._pre_render_qweb_pdf(report.report_name, self.ids, data={"proforma": False})
        )
        content_by_id = self.env["ir.actions.report"]._get_splitted_report(report.report_name, content, report_type)
        return {
            "filename": self._get_invoice_report_filename(report=report),
            "filetype": "pdf",
            "content": content_by_id[self.id],
        }
