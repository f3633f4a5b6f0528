import re

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import split_every

CLIENT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")

BILLING_POLICIES = [
    ("retainer", "Monthly retainer"),
    ("milestone", "Milestones"),
    ("deposit", "Deposit, then balance"),
    ("installment", "Installments"),
    ("project_end", "At project end"),
    ("time_materials", "Time and materials"),
]

CLIENT_PROFILES = [
    ("public", "Public administration"),
    ("business", "Business"),
    ("private", "Private person"),
]

CONSOLIDATION_MODES = [
    ("entity", "Whole company on one invoice"),
    ("invoice_address", "One invoice per invoice address (brand or department)"),
    ("order", "One invoice per order"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The billing profile is held by the commercial entity (the client company)
    # and synchronised to its contacts, like the VAT number or the payment terms.
    agency_billing_policy = fields.Selection(
        BILLING_POLICIES,
        string="Billing Policy",
        tracking=True,
        help="How this client is billed. Leave empty for clients not billed by the agency billing run.",
    )
    agency_billing_schedule_ids = fields.One2many(
        "agency.billing.schedule",
        "partner_id",
        string="Scheduled Billing",
        help="The scheduled billing of the client, month by month: billed, or why not yet and how many tries.",
    )
    agency_billing_day = fields.Integer(
        string="Billing Day",
        default=1,
        tracking=True,
        help="Day of the month (1-28) on which the billing run invoices this client.",
    )
    agency_client_profile = fields.Selection(
        CLIENT_PROFILES,
        string="Client Profile",
        default="business",
        tracking=True,
        help="Sets the tone, cadence and late-fee eligibility of reminders.",
    )
    agency_consolidation = fields.Selection(
        CONSOLIDATION_MODES,
        string="Consolidation",
        default="entity",
        help="Which contacts, brands and departments of this client are billed together.",
    )
    agency_po_required = fields.Boolean(
        string="PO Number Required",
        help="Nothing is billed for an order without a purchase order number (the customer reference of the order).",
    )
    agency_po_per_invoice = fields.Boolean(
        string="One PO per Invoice",
        help="Orders with different purchase order numbers are never put on the "
        "same invoice (usual for public buyers).",
    )
    agency_deposit_percent = fields.Float(
        string="Deposit (%)",
        default=30.0,
        help="Share of an order's amount invoiced at signing, deducted from the balance.",
    )
    agency_invoice_message = fields.Text(
        string="Invoice Message",
        translate=True,
        help="Personal message or thank-you note printed on this client's invoices.",
    )
    agency_client_code = fields.Char(
        string="Client Code",
        tracking=True,
        help="Short code (capital letters, digits, dashes) used in invoice numbers, e.g. ACME in ACME-2026-11-0042.",
    )
    agency_on_hold = fields.Boolean(
        string="Billing On Hold",
        tracking=True,
        help="The billing run leaves this client out until the hold is lifted.",
    )
    agency_pilot_end_date = fields.Date(
        string="Free Pilot Until",
        help="Nothing is billed before this date.",
    )
    agency_pilot_notice_days = fields.Integer(
        string="Pilot End Notice (days)",
        default=7,
        help="The client is told this many days before the free pilot ends.",
    )
    agency_pilot_notice_sent_for = fields.Date(
        string="Pilot End Notified",
        copy=False,
        readonly=True,
        help="End date of the pilot the client was told about: it is told once per pilot.",
    )
    agency_payment_terms_text = fields.Char(
        string="Payment Terms in Plain Words",
        compute="_compute_agency_payment_terms_text",
    )
    agency_is_commercial_entity = fields.Boolean(
        compute="_compute_agency_is_commercial_entity",
    )

    # ------------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------------

    @api.depends("property_payment_term_id")
    @api.depends_context("lang")
    def _compute_agency_payment_terms_text(self):
        for partner in self:
            partner.agency_payment_terms_text = partner.property_payment_term_id._agency_plain_terms()

    @api.depends("is_company", "parent_id")
    def _compute_agency_is_commercial_entity(self):
        for partner in self:
            partner.agency_is_commercial_entity = partner.is_company or not partner.parent_id

    # ------------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------------

    @api.constrains("agency_billing_day")
    def _check_agency_billing_day(self):
        for partner in self:
            if not 1 <= partner.agency_billing_day <= 28:
                raise ValidationError(
                    self.env._(
                        "The billing day of %(client)s must be between 1 and 28, "
                        "so that every month has it (got %(day)s).",
                        client=partner.display_name,
                        day=partner.agency_billing_day,
                    )
                )

    @api.constrains("agency_deposit_percent", "agency_billing_policy")
    def _check_agency_deposit_percent(self):
        for partner in self:
            percent = partner.agency_deposit_percent
            if percent < 0 or percent > 100:
                raise ValidationError(
                    self.env._(
                        "The deposit of %(client)s must be between 0 and 100 %% (got %(percent)s %%).",
                        client=partner.display_name,
                        percent=percent,
                    )
                )
            if partner.agency_billing_policy == "deposit" and not percent:
                raise ValidationError(
                    self.env._(
                        "%(client)s is billed with a deposit: set the deposit percentage.",
                        client=partner.display_name,
                    )
                )

    @api.constrains("agency_pilot_notice_days")
    def _check_agency_pilot_notice_days(self):
        for partner in self:
            if partner.agency_pilot_notice_days < 0:
                raise ValidationError(self.env._("The pilot end notice cannot be a negative number of days."))

    @api.constrains("agency_client_code")
    def _check_agency_client_code(self):
        for partner in self.filtered("agency_client_code"):
            code = partner.agency_client_code
            if not CLIENT_CODE_RE.match(code):
                raise ValidationError(
                    self.env._(
                        "The client code “%(code)s” is not valid: use 1 to 12 capital "
                        "letters, digits or dashes, starting with a letter or digit "
                        "(for example ACME or CITY-01).",
                        code=code,
                    )
                )
            clash = self.with_context(active_test=False).search(
                [
                    ("agency_client_code", "=", code),
                    ("commercial_partner_id", "!=", partner.commercial_partner_id.id),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "The client code “%(code)s” is already used by %(other)s: each client needs its own code.",
                        code=code,
                        other=clash.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + self._agency_billing_profile_fields()

    @api.model
    def _agency_billing_profile_fields(self):
        return [
            "agency_billing_policy",
            "agency_billing_day",
            "agency_client_profile",
            "agency_consolidation",
            "agency_po_required",
            "agency_po_per_invoice",
            "agency_deposit_percent",
            "agency_invoice_message",
            "agency_client_code",
            "agency_on_hold",
            "agency_pilot_end_date",
            "agency_pilot_notice_days",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("agency_client_code"):
                vals["agency_client_code"] = vals["agency_client_code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("agency_client_code"):
            vals["agency_client_code"] = vals["agency_client_code"].strip().upper()
        return super().write(vals)

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_agency_pilot_notice(self, date_ref=None):
        """Tell each client, once, a set number of days before its free pilot ends."""
        today = fields.Date.to_date(date_ref) if date_ref else fields.Date.context_today(self)
        partners = self.search(self._agency_pilot_notice_domain(today))
        template = self.env.ref("agency_billing.mail_template_pilot_ending")
        due = partners.filtered(
            lambda p: (
                p.agency_pilot_notice_sent_for != p.agency_pilot_end_date
                and p.agency_pilot_end_date - relativedelta(days=p.agency_pilot_notice_days) <= today
            )
        )
        for batch in split_every(50, due.ids):
            for partner in self.browse(batch):
                template.send_mail(partner.id)
                partner.agency_pilot_notice_sent_for = partner.agency_pilot_end_date
            self.env["ir.cron"]._commit_progress(len(batch))

    @api.model
    def _agency_pilot_notice_domain(self, today):
        return Domain(
            [
                ("agency_billing_policy", "!=", False),
                ("agency_pilot_end_date", ">", today),
                ("parent_id", "=", False),
            ]
        )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _agency_account_summary(self, date=None, company=None):
        """What the client owes to one company (default: the current one), in that company's currency,
        for the portal and the back office: residuals of different companies are never added up.

        One aggregate query per figure for all of ``self`` (commercial entities). "Overdue" is the
        installments past due (``account.move.line._agency_due_lines_domain``). Returns
        ``{partner_id: {"balance", "overdue", "overdue_count", "next_due_date", "oldest_due_date"}}``.
        """
        date = date or fields.Date.context_today(self)
        company = company or self.env.company
        Move = self.env["account.move"]
        Line = self.env["account.move.line"]
        partners = self.commercial_partner_id
        summary = {
            partner.id: {
                "balance": 0.0,
                "overdue": 0.0,
                "overdue_count": 0,
                "next_due_date": False,
                "oldest_due_date": False,
            }
            for partner in partners
        }
        base = Move._agency_open_domain() & Domain(
            [("commercial_partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        )
        by_partner = ["commercial_partner_id"]
        for partner, balance in Move._read_group(base, by_partner, ["amount_residual_signed:sum"]):
            summary[partner.id]["balance"] = balance
        overdue = Line._agency_due_lines_domain(date) & Domain(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        )
        for partner, amount, count, oldest in Line._read_group(
            overdue,
            ["partner_id"],
            ["amount_residual:sum", "move_id:count_distinct", "date_maturity:min"],
        ):
            if partner.id in summary:
                summary[partner.id].update(overdue=amount, overdue_count=count, oldest_due_date=oldest)
        upcoming = Line._agency_due_lines_domain() & Domain(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("date_maturity", ">=", date),
            ]
        )
        for partner, next_due in Line._read_group(upcoming, ["partner_id"], ["date_maturity:min"]):
            if partner.id in summary:
                summary[partner.id]["next_due_date"] = next_due
        return summary

    def _agency_statement_data(self, date_from=None, date_to=None, company=None):
        """The customer statement of this client (its commercial entity): see ``agency.customer.statement``."""
        self.ensure_one()
        return self.env["agency.customer.statement"]._get_statement_data(self, date_from, date_to, company)

    def _agency_statement_pdf(self, date_from=None, date_to=None, company=None, store=True):
        """The customer statement as a PDF (bytes), in the client's language, stored until it changes
        (``store``: False renders it without storing a new one): see ``agency.statement.document``."""
        self.ensure_one()
        return self.env["agency.statement.document"]._get_pdf(self, date_from, date_to, company, store=store)
