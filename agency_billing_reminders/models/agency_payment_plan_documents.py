from odoo import api, models

# the plans a statement and a receipt show: running, and just kept
SHOWN_STATES = ("active", "kept")


class AgencyPaymentPlan(models.Model):
    _inherit = "agency.payment.plan"

    def _agency_document_values(self):
        """What a statement, a receipt or the portal says of these plans: ``[{"plan", "currency", "left",
        "next_date", "next_left", "lines": [{"date", "amount", "left", "state"}]}]`` (``_agency_progress``)."""
        progress = self._agency_progress()
        values = []
        for plan in self:
            done = progress[plan.id]
            nxt = done["next"]
            values.append(
                {
                    "plan": plan,
                    "currency": plan.currency_id,
                    "left": done["left"],
                    "next_date": nxt.date if nxt else False,
                    "next_left": done["lines"][nxt.id]["left"] if nxt else 0.0,
                    "lines": [
                        {"date": line.date, "amount": line.amount, **done["lines"][line.id]} for line in plan.line_ids
                    ],
                }
            )
        return values


class AgencyCustomerStatement(models.AbstractModel):
    _inherit = "agency.customer.statement"

    @api.model
    def _get_statement_data(self, partner, date_from=None, date_to=None, company=None):
        """EXTENDS agency_billing: the client's running payment plans and what is left of them."""
        data = super()._get_statement_data(partner, date_from=date_from, date_to=date_to, company=company)
        plans = (
            self.env["agency.payment.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", data["partner"].id),
                    ("company_id", "=", data["company"].id),
                    ("state", "=", "active"),
                ]
            )
        )
        data["plans"] = plans._agency_document_values()
        return data


class AccountMove(models.Model):
    _inherit = "account.move"

    def _agency_receipt_values(self):
        """EXTENDS the receipt: the payment plans of the invoices paid, and what is left of them."""
        values = super()._agency_receipt_values()
        invoices = self.env["account.move"].union(*(line["invoice"] for line in values["lines"]))
        plans = (
            self.env["agency.payment.plan"]
            .sudo()
            .search([("invoice_ids", "in", invoices.ids), ("state", "in", SHOWN_STATES)])
            if invoices
            else self.env["agency.payment.plan"]
        )
        values["plans"] = plans._agency_document_values()
        return values
