from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, format_date

# retainers with this many billing periods left or fewer show as "renewal due"
RETAINER_RENEWAL_PERIODS = 2


# res_partner.py is full: suggestions are their own concern, in their own file (as OCA contract splits)
class ResPartner(models.Model):
    _inherit = "res.partner"

    agency_upsell_opt_out = fields.Boolean(
        string="No Service Suggestions",
        help="Never suggest new services to this client, in the back office or in the portal.",
    )
    agency_suggestion_ids = fields.Many2many(
        "agency.recommendation",
        string="Suggested Services",
        compute="_compute_agency_suggestions",
    )
    agency_renewals_html = fields.Html(string="Renewals Due", compute="_compute_agency_suggestions", sanitize=False)
    agency_upsell_notice = fields.Char(compute="_compute_agency_suggestions")

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends_context("company", "lang")
    def _compute_agency_suggestions(self):
        for partner in self:
            entity = partner.commercial_partner_id
            if not partner.id or not entity.id:
                partner.agency_suggestion_ids = False
                partner.agency_renewals_html = False
                partner.agency_upsell_notice = False
                continue
            partner.agency_upsell_notice = entity._agency_upsell_blocked_reason(self.env.company)
            partner.agency_suggestion_ids = entity._agency_suggestion_records(limit=5)
            partner.agency_renewals_html = entity._agency_renewals_html()

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "agency_upsell_opt_out"]

    # ------------------------------------------------------------------
    # BUSINESS: what is suggested (public API: the portal shows these)
    # ------------------------------------------------------------------

    def _agency_recommendations(self, limit=3):
        """New services suggested to this client (its commercial entity) in the current company,
        best first: a list of dicts ``{"product", "score", "reason", "expected_monthly",
        "currency"}``. Empty when suggestions are off for the client (setting, opt-out, overdue
        invoices). The reason and the amount never name another client nor show its amounts."""
        self.ensure_one()
        records = self.commercial_partner_id._agency_suggestion_records(limit=limit)
        (records.product_id | records.anchor_product_id).mapped("display_name")  # one read for the reasons
        return [
            {
                "product": rec.product_id,
                "score": rec.score,
                "reason": rec.reason,
                "expected_monthly": rec.expected_monthly,
                "currency": rec.currency_id,
            }
            for rec in records
        ]

    def _agency_suggestion_records(self, limit=None):
        """The ``agency.recommendation`` records behind ``_agency_recommendations``."""
        self.ensure_one()
        company = self.env.company
        Recommendation = self.env["agency.recommendation"].sudo()
        if self._agency_upsell_blocked_reason(company):
            return Recommendation
        min_clients = self.env["agency.recommendation.engine"]._min_clients(company)
        domain = Domain(
            [
                ("company_id", "=", company.id),
                ("partner_id", "=", self.id),
                ("kind", "=", "new"),
                ("support", ">=", min_clients),
                ("product_id.sale_ok", "=", True),
                ("product_id.company_id", "in", [False, company.id]),
            ]
        )
        records = Recommendation.search(domain, order="rank, id")
        if records:
            records = records.filtered_domain(self._agency_live_suggestion_domain(company, records, min_clients))
        return records[:limit].sudo(self.env.su) if limit else records.sudo(self.env.su)

    def _agency_live_suggestion_domain(self, company, records, min_clients):
        """The stored suggestions that still hold now: not dismissed, and still bought with their
        anchor service by enough clients (the counts move with every refresh of another client,
        the stored suggestions of this one only when it is refreshed)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rec.id
                  FROM agency_recommendation rec
                  JOIN agency_recommendation_pair q
                    ON q.company_id = rec.company_id AND q.product_id = rec.anchor_product_id
                   AND q.other_product_id = rec.product_id AND q.client_count >= %(min_clients)s
                 WHERE rec.id = ANY(%(ids)s)
                   AND NOT EXISTS (SELECT 1 FROM agency_recommendation_dismissal d
                                    WHERE d.company_id = %(company)s AND d.partner_id = rec.partner_id
                                      AND d.product_id = rec.product_id)
                """,
                min_clients=min_clients,
                ids=records.ids,
                company=company.id,
            )
        )
        return Domain("id", "in", [row[0] for row in rows])

    def _agency_suggestions_besides(self, products, limit=3):
        """The suggestion panel of a draft invoice or quotation: the best suggestions that are not
        already on it."""
        records = self._agency_suggestion_records(limit=limit)
        return records.filtered(lambda rec: rec.product_id not in products)

    def _agency_upsell_blocked_reason(self, company):
        """Why nothing new is suggested to this client now, or False."""
        self.ensure_one()
        if not company.agency_upsell_enabled:
            return self.env._("Service suggestions are off (Invoicing settings).")
        if self.agency_upsell_opt_out:
            return self.env._("This client gets no service suggestions.")
        if company.agency_upsell_skip_overdue and self._agency_has_overdue(company):
            return self.env._("No new services are suggested while this client has overdue invoices.")
        return False

    def _agency_has_overdue(self, company):
        Move = self.env["account.move"].sudo()
        domain = Move._agency_overdue_domain() & Domain(
            [
                ("partner_id", "child_of", self.id),  # indexed, unlike the commercial partner
                ("commercial_partner_id", "=", self.id),
                ("company_id", "=", company.id),
            ]
        )
        return bool(Move.search_count(domain, limit=1))

    def _agency_dismissal_domain(self, company, product=None):
        domain = Domain([("company_id", "=", company.id), ("partner_id", "=", self.id)])
        return domain & Domain("product_id", "=", product.id) if product else domain

    def _agency_renewals(self):
        """What the client already buys and is due again soon, in the current company: services
        bought quarterly or yearly (hosting, a yearly audit) whose next one is due, and retainers
        whose order is about to run out. A list of dicts ``{"product", "date", "reason",
        "expected_monthly", "currency"}`` by date."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        today = fields.Date.context_today(self)
        horizon = fields.Date.add(today, days=company.agency_upsell_renewal_days)
        renewals = {}
        stored = (
            self.env["agency.recommendation"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "=", partner.id),
                    ("kind", "=", "renewal"),
                    ("date_due", "<=", horizon),
                    ("date_due", ">=", fields.Date.subtract(today, years=1)),
                ]
            )
        )
        for rec in stored:
            renewals[rec.product_id] = {
                "product": rec.product_id,
                "date": rec.date_due,
                "reason": rec.reason,
                "expected_monthly": rec.expected_monthly,
                "currency": rec.currency_id,
            }
        for line, end in partner._agency_retainers_ending(company, today):
            if end <= horizon:
                renewals[line.product_id] = {
                    "product": line.product_id,
                    "date": end,
                    "reason": self.env._(
                        "Retainer %(service)s on %(order)s ends: its last month is billed before %(date)s",
                        service=line.product_id.display_name,
                        order=line.order_id.name,
                        date=format_date(self.env, end),
                    ),
                    "expected_monthly": line.price_subtotal / (line.product_uom_qty or 1),
                    "currency": line.currency_id,
                }
        return sorted(renewals.values(), key=lambda vals: (vals["date"], vals["product"].id))

    def _agency_retainers_ending(self, company, today):
        """(retainer order line, date of the first billing it no longer covers) of the client's
        confirmed retainer lines with few periods left."""
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.state", "=", "sale"),
                    ("company_id", "=", company.id),
                    ("order_id.partner_id.commercial_partner_id", "=", self.id),
                    ("agency_is_retainer", "=", True),
                ]
            )
        )
        day = self.agency_billing_day or 1
        next_billing = today.replace(day=day)
        if next_billing < today:
            next_billing = fields.Date.add(next_billing, months=1)
        result = []
        for line in lines:
            left = int(line.product_uom_qty - line.qty_invoiced)
            if 0 <= left <= RETAINER_RENEWAL_PERIODS:
                result.append((line, fields.Date.add(next_billing, months=left)))
        return result

    def _agency_renewals_html(self):
        renewals = self._agency_renewals()
        if not renewals:
            return False
        return self.env["ir.qweb"]._render("agency_billing.agency_renewals_list", {"renewals": renewals})

    # ------------------------------------------------------------------
    # BUSINESS: one-click actions (public API: the portal requests quotations)
    # ------------------------------------------------------------------

    def _agency_request_quote(self, product, origin="staff"):
        """A draft quotation for this client with ``product``, and an activity for its
        salesperson. From the portal (``origin="portal"``, called with sudo once the portal has
        checked the customer), only one of the client's current suggestions may be requested, and
        asking again returns the quotation already made. Returns the ``sale.order``."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        product = product.exists()
        if not product or not product.sale_ok:
            raise UserError(self.env._("This service cannot be sold: choose another one."))
        if origin == "portal" and product not in partner._agency_suggestion_records().product_id:
            raise UserError(self.env._("This service is not among the services suggested to you."))
        Order = self.env["sale.order"]
        existing = Order.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "sent")),
                ("agency_from_suggestion", "=", True),
                ("order_line.product_id", "=", product.id),
            ],
            limit=1,
        )
        if existing:
            return existing
        salesperson = partner._agency_salesperson(company)
        order = Order.with_company(company).create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "user_id": salesperson.id,
                "agency_from_suggestion": True,
                "origin": self.env._("Requested from the portal")
                if origin == "portal"
                else self.env._("Suggested service"),
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        summary = (
            self.env._("%(client)s asked for a quotation for %(service)s", client=partner.name, service=product.name)
            if origin == "portal"
            else self.env._("Propose %(service)s to %(client)s", client=partner.name, service=product.name)
        )
        order.activity_schedule("mail.mail_activity_data_todo", summary=summary, user_id=salesperson.id)
        order.message_post(body=Markup("<p>%s</p>") % summary, message_type="comment", subtype_xmlid="mail.mt_note")
        return order

    def _agency_salesperson(self, company):
        """Who follows up a suggestion: the client's salesperson, else the one of its latest
        order, else the current (internal) user, else the administrator."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        latest = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", self.id),
                    ("company_id", "=", company.id),
                    ("user_id", "!=", False),
                ],
                order="date_order desc, id desc",
                limit=1,
            )
        )
        if latest:
            return latest.user_id
        if self.env.user._is_internal():
            return self.env.user
        return self.env.ref("base.user_admin")

    def _agency_add_to_next_billing(self, product):
        """Add ``product`` to what the billing run bills this client next: a line on its
        confirmed retainer order (retainer services run as long as the retainer, other services
        are billed once); a client without one but billed by the billing run gets a confirmed
        order of its own. Returns the ``sale.order``."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        if not product.sale_ok:
            raise UserError(self.env._("This service cannot be sold: choose another one."))
        order = self.env["sale.order"].search(
            [
                ("partner_id.commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("locked", "=", False),
                ("order_line.agency_is_retainer", "=", True),
            ],
            order="date_order desc, id desc",
            limit=1,
        )
        qty = 1.0
        if order and product.agency_is_retainer:
            retainers = order.order_line.filtered("agency_is_retainer")
            qty = max(line.product_uom_qty - line.qty_invoiced for line in retainers) or 1.0
        line_vals = {"product_id": product.id, "product_uom_qty": qty}
        if order:
            order.write({"order_line": [Command.create(line_vals)]})
        elif partner.agency_billing_policy:
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": partner._agency_salesperson(company).id,
                    "agency_from_suggestion": True,
                    "origin": self.env._("Suggested service"),
                    "order_line": [Command.create(line_vals)],
                }
            )
            order.action_confirm()
        else:
            raise UserError(
                self.env._(
                    "%(client)s has no retainer order and is not billed by the billing run: "
                    "create a quotation instead.",
                    client=partner.display_name,
                )
            )
        order.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(service)s added from the suggestions: billed with the next billing run.", service=product.name
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return order

    def _agency_dismiss_suggestion(self, product):
        """Never suggest ``product`` to this client again (in the current company)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        Dismissal = self.env["agency.recommendation.dismissal"]
        if not Dismissal.search_count(partner._agency_dismissal_domain(self.env.company, product), limit=1):
            Dismissal.create({"partner_id": partner.id, "product_id": product.id, "company_id": self.env.company.id})
        return True
