from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _agency_projects(self):
        """The projects whose work these lines bill: their order lines' (own or order's), and the projects
        whose analytic account they are booked on (lines written by hand, without an order)."""
        sale_lines = self.sale_line_ids
        projects = sale_lines.project_id | sale_lines.order_id.project_id
        account_ids = self._get_analytic_account_ids_from_distributions(self.mapped("analytic_distribution"))
        if account_ids:
            projects |= self.env["project.project"].sudo().search([("account_id", "in", list(account_ids))])
        return projects
