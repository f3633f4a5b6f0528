from odoo import api, models


class ReportCustomerStatement(models.AbstractModel):
    _name = "report.agency_billing.report_customer_statement"
    _description = "Customer Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        # a report asked for with options (the statement wizard) comes without docids: the wizard
        # sends the client in the data
        partners = self.env["res.partner"].browse(docids or data.get("partner_ids") or []).commercial_partner_id
        company = self.env["res.company"].browse(data.get("company_id")) if data.get("company_id") else None
        Statement = self.env["agency.customer.statement"]
        statements = {
            partner.id: Statement.with_context(lang=partner.lang or self.env.lang)._get_statement_data(
                partner, data.get("date_from"), data.get("date_to"), company
            )
            for partner in partners
        }
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": statements,
        }
