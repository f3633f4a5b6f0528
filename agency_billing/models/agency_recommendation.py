from odoo import api, fields, models
from odoo.tools import format_date

RECOMMENDATION_KINDS = [("new", "New service"), ("renewal", "Renewal due")]


class AgencyRecommendation(models.Model):
    """A service suggested to a client: a new one that similar clients buy, or a renewal due of
    one it already buys. Computed in SQL by ``agency.recommendation.engine`` (stored, refreshed
    by a scheduled action); shown only through ``res.partner._agency_recommendations`` and
    ``_agency_renewals``, which apply the settings, the privacy threshold and the dismissals.

    Nothing here tells anything of another client: counts of clients and an average over at
    least the threshold of them.
    """

    _name = "agency.recommendation"
    _description = "Service Suggestion"
    _order = "kind, rank, date_due, id"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Service", required=True, ondelete="cascade")
    kind = fields.Selection(RECOMMENDATION_KINDS, required=True)
    rank = fields.Integer()
    score = fields.Float(digits=(16, 4))
    support = fields.Integer(
        string="Clients Behind It", help="Other clients who buy both this service and one the client buys."
    )
    anchor_product_id = fields.Many2one("product.product", string="Because of", ondelete="cascade")
    anchor_count = fields.Integer(help="Clients who buy the service it is suggested because of, this one included.")
    expected_monthly = fields.Monetary(
        currency_field="currency_id",
        help="New service: what clients who buy both spend on it per month, on average. "
        "Renewal: what this client spends on it per month.",
    )
    date_due = fields.Date(string="Due")
    reason = fields.Char(compute="_compute_reason")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("kind", "support", "anchor_count", "anchor_product_id", "product_id", "date_due")
    def _compute_reason(self):
        for rec in self:
            rec.reason = rec._reason()

    def _reason(self):
        self.ensure_one()
        if self.kind == "renewal":
            service, date = self.product_id.display_name, format_date(self.env, self.date_due)
            if self._agency_is_time_based():
                # hours or days of work are ordered again, not renewed
                return self.env._("More %(service)s: usually ordered again around %(date)s", service=service, date=date)
            if self.product_id.agency_renewal_months:
                return self.env._("Renewal of %(service)s due on %(date)s", service=service, date=date)
            return self.env._("%(service)s is usually bought again around %(date)s", service=service, date=date)
        return self.env._(
            "%(count)s of %(total)s clients who buy %(service)s also buy %(product)s",
            count=self.support,
            total=self.anchor_count - 1,  # the other clients: this one buys it but not the suggestion
            service=self.anchor_product_id.display_name,
            product=self.product_id.display_name,
        )

    def _agency_is_time_based(self):
        """Whether the service is sold by time worked (hours, days): ordered again, never "renewed"."""
        hour = self.env.ref("uom.product_uom_hour", raise_if_not_found=False)
        uom = self.product_id.uom_id
        return bool(hour) and hour in (uom | uom.relative_uom_id)

    # ------------------------------------------------------------------
    # ACTIONS (buttons of the suggestion lists)
    # ------------------------------------------------------------------

    def action_add_to_next_billing(self):
        self.ensure_one()
        order = self.partner_id.with_company(self.company_id)._agency_add_to_next_billing(self.product_id)
        return order._get_records_action(name=self.env._("Retainer Order"))

    def action_request_quote(self):
        self.ensure_one()
        order = self.partner_id.with_company(self.company_id)._agency_request_quote(self.product_id)
        return order._get_records_action(name=self.env._("Quotation"))

    def action_dismiss(self):
        for rec in self:
            rec.partner_id.with_company(rec.company_id)._agency_dismiss_suggestion(rec.product_id)
        return True

    def action_add_to_document(self):
        """Add the service to the draft invoice or quotation the suggestion panel is shown on."""
        self.ensure_one()
        model, res_id = self.env.context.get("agency_document_model"), self.env.context.get("agency_document_id")
        if model not in ("account.move", "sale.order") or not res_id:
            return False
        document = self.env[model].browse(res_id)
        document.check_access("write")
        document._agency_add_suggested_product(self.product_id)
        return True
