from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_billing_auto_post = fields.Boolean(
        string="Post Billing Run Invoices",
        help="Invoices made by the billing run are posted at once instead of left in draft for review.",
    )
    agency_billing_journal_id = fields.Many2one(
        "account.journal",
        string="Billing Run Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the billing run's invoices; choose one with client-coded numbers to number "
        "them per client (ACME-2026-11-0042). Empty: the default sales journal.",
    )

    def _agency_use_client_coded_numbers(self):
        """Number each company's customer invoices per client (ACME-2026-11-0001): its main sales
        journal gets client-coded numbers and becomes the billing run's journal (what staff do in
        the journal's form and the Invoicing settings; the demo calls it)."""
        Journal = self.env["account.journal"]
        for company in self:
            journal = Journal.search([*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1)
            if journal:
                journal.agency_numbering = True
                company.agency_billing_journal_id = journal
        self._agency_use_structured_references()

    agency_bank_transfer_hold_days = fields.Integer(
        string="Transfer Being Matched (days)",
        default=5,
        help="A client from whose bank account (or name) a transfer arrived that is not matched yet gets "
        "no reminder for this many days after the transfer.",
    )

    def _agency_use_structured_references(self):
        """Every customer invoice of these companies carries a structured payment reference the bank
        brings back: Odoo's journal setting, the RF creditor reference (ISO 11649) where the journal
        still uses the plain invoice number (Norwegian and Belgian clients get the KID or the structured
        communication where that localization is installed, see account.move)."""
        journals = self.env["account.journal"].search(
            [
                ("company_id", "in", self.ids),
                ("type", "=", "sale"),
                ("invoice_reference_model", "in", ("odoo", "number")),
            ]
        )
        journals.write({"invoice_reference_model": "euro", "invoice_reference_type": "invoice"})
        return journals

    def _agency_late_payment_text(self):
        """The late-payment policy in the context language: the company's own text or a standard one."""
        self.ensure_one()
        return self.agency_late_payment_policy or self._agency_default_late_payment_policy()

    def _agency_default_late_payment_policy(self):
        return self.env._(
            "Late payment: invoices not paid by their due date may bear late-payment interest at the legal rate "
            "and a fixed recovery fee, as the law allows. Please contact us before the due date if anything "
            "on this invoice is unclear."
        )

    agency_late_payment_policy = fields.Text(
        string="Late Payment Policy",
        translate=True,
        help="Printed on agency invoices under the payment terms. Empty: a standard text, in the client's "
        "language, about late-payment interest and recovery fees.",
    )

    agency_upsell_enabled = fields.Boolean(
        string="Service Suggestions",
        default=True,
        help="Suggest to each client the services that clients with a similar purchase profile buy.",
    )
    agency_upsell_min_clients = fields.Integer(
        string="Clients Behind a Suggestion",
        default=5,
        help="A service is suggested only when at least this many other clients buy it together with a "
        "service the client buys (never fewer than 3), so that no suggestion reveals what one client buys.",
    )
    agency_upsell_skip_overdue = fields.Boolean(
        string="No Suggestions to Late Payers",
        default=True,
        help="Clients with overdue invoices get no new service suggestions until they are up to date.",
    )
    agency_upsell_renewal_days = fields.Integer(
        string="Renewals Shown Ahead (days)",
        default=60,
        help="Renewals due within this many days are shown as 'renewal due'.",
    )
    agency_upsell_refreshed_at = fields.Datetime(
        string="Suggestions Refreshed On",
        readonly=True,
        copy=False,
        help="When the suggestions were last computed from the invoices.",
    )

    @api.constrains("agency_upsell_min_clients", "agency_upsell_renewal_days")
    def _check_agency_upsell_settings(self):
        for company in self:
            if company.agency_upsell_min_clients < 3:
                raise ValidationError(
                    self.env._(
                        "A suggestion needs at least 3 other clients behind it, so that it never reveals what "
                        "one client buys (got %(count)s).",
                        count=company.agency_upsell_min_clients,
                    )
                )
            if company.agency_upsell_renewal_days < 0:
                raise ValidationError(self.env._("The number of days renewals are shown ahead cannot be negative."))
