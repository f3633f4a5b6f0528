from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    agency_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_agency_overdue",
        search="_search_agency_overdue_amount",
        currency_field="agency_company_currency_id",
        help="Open customer invoices past their due date, in the company's currency.",
    )
    agency_overdue_invoice_count = fields.Integer(
        string="Overdue Invoices",
        compute="_compute_agency_overdue",
        search="_search_agency_overdue_invoice_count",
    )
    agency_overdue_days = fields.Integer(
        string="Days Late",
        compute="_compute_agency_overdue",
        search="_search_agency_overdue_days",
        help="Days since the due date of the oldest overdue invoice.",
    )
    agency_open_balance = fields.Monetary(
        string="Open Balance",
        compute="_compute_agency_overdue",
        currency_field="agency_company_currency_id",
    )
    agency_autopay_mandate_ids = fields.One2many(
        "agency.autopay.mandate", "partner_id", string="Autopay", readonly=True
    )
    agency_company_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_agency_company_currency_id",
    )

    @api.depends_context("company")
    def _compute_agency_company_currency_id(self):
        self.agency_company_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_agency_overdue(self):
        today = fields.Date.context_today(self)
        summary = self._agency_account_summary(today)
        for partner in self:
            values = summary.get(partner.commercial_partner_id.id, {})
            oldest = values.get("oldest_due_date")
            partner.agency_overdue_amount = values.get("overdue", 0.0)
            partner.agency_overdue_invoice_count = values.get("overdue_count", 0)
            partner.agency_overdue_days = (today - oldest).days if oldest else 0
            partner.agency_open_balance = values.get("balance", 0.0)

    def _search_agency_overdue_amount(self, operator, value):
        return self._agency_search_overdue(operator, value, lambda amount, count, oldest: amount)

    def _search_agency_overdue_invoice_count(self, operator, value):
        return self._agency_search_overdue(operator, value, lambda amount, count, oldest: count)

    def _search_agency_overdue_days(self, operator, value):
        today = fields.Date.context_today(self)
        return self._agency_search_overdue(operator, value, lambda amount, count, oldest: (today - oldest).days)

    def _agency_search_overdue(self, operator, value, measure):
        """Partners whose overdue figure (``measure(amount, count, oldest_due_date)``) matches.

        A client with nothing overdue has 0 for every figure, so "= 0" or "< 10" also find it.
        """
        if value is False or value is None:
            value = 0  # "no overdue invoice" is a figure of 0
        ops = {
            ">": lambda a: a > value,
            ">=": lambda a: a >= value,
            "<": lambda a: a < value,
            "<=": lambda a: a <= value,
            "=": lambda a: a == value,
            "!=": lambda a: a != value,
        }
        if operator not in ops or not isinstance(value, (int, float)):
            raise UserError(self.env._("This search on overdue invoices is not supported."))
        # the figures of the account summary (``_agency_account_summary``): installments past due, the
        # current company's
        Line = self.env["account.move.line"]
        domain = Line._agency_due_lines_domain(fields.Date.context_today(self)) & Domain(
            "company_id", "=", self.env.company.id
        )
        groups = Line._read_group(
            domain, ["partner_id"], ["amount_residual:sum", "move_id:count_distinct", "date_maturity:min"]
        )
        matches = ops[operator]
        if matches(0):
            # clients with nothing overdue match too: exclude the late ones that do not
            others = [partner.id for partner, *figures in groups if not matches(measure(*figures))]
            return Domain("commercial_partner_id", "not in", others)
        late = [partner.id for partner, *figures in groups if matches(measure(*figures))]
        return Domain("commercial_partner_id", "in", late)

    def action_agency_open_overdue_invoices(self):
        self.ensure_one()
        self.check_access("read")  # reachable by RPC: nothing of a record one may not read
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = list(
            self.env["account.move"]._agency_overdue_domain()
            & Domain("commercial_partner_id", "=", self.commercial_partner_id.id)
        )
        action["context"] = {"create": False}
        return action
