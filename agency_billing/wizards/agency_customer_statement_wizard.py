from odoo import api, fields, models


class AgencyCustomerStatementWizard(models.TransientModel):
    _name = "agency.customer.statement.wizard"
    _description = "Customer Statement"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, domain=[("parent_id", "=", False)])
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_id"):
            partner = self.env["res.partner"].browse(self.env.context["active_id"])
            values.setdefault("partner_id", partner.commercial_partner_id.id)
        if "date_from" in fields_list and not values.get("date_from"):
            values["date_from"] = self.env["agency.customer.statement"]._default_period(values.get("date_to"))[0]
        return values

    def _statement_args(self):
        self.ensure_one()
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }

    def action_print_pdf(self):
        self.ensure_one()
        # checks the period before the report is asked for
        self.env["agency.customer.statement"]._get_statement_data(
            self.partner_id, self.date_from, self.date_to, self.company_id
        )
        report = self.env.ref("agency_billing.action_report_customer_statement")
        partner = self.partner_id.commercial_partner_id
        # options given as report data make the web client ask for the report without record ids
        # (/report/pdf/<name>?options=...): the client travels in the data too
        return report.report_action(partner, data={**self._statement_args(), "partner_ids": partner.ids})

    def action_export_xlsx(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        content = (
            self.env["agency.customer.statement"]
            .with_context(lang=partner.lang or self.env.lang)
            ._get_statement_xlsx(partner, self.date_from, self.date_to, self.company_id)
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Statement %(partner)s %(date)s.xlsx",
                    partner=partner.name,
                    date=fields.Date.to_string(self.date_to),
                ),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
