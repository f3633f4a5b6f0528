from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    # EXTENDS account: the agency invoice is the default layout of clients with a billing profile,
    # unless a layout was chosen for the client or the journal.
    @api.model
    def _get_default_pdf_report_id(self, move):
        partner = move.commercial_partner_id.with_company(move.company_id)
        journal = move.journal_id.with_company(move.company_id)
        if (
            partner.agency_billing_policy
            and not partner.invoice_template_pdf_report_id
            and not journal.invoice_template_pdf_report_id
        ):
            report = self.env.ref("agency_billing.action_report_agency_invoice", raise_if_not_found=False)
            if report and move._is_action_report_available(report):
                return report
        return super()._get_default_pdf_report_id(move)
