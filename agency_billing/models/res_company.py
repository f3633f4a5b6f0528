from odoo import fields, models


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
