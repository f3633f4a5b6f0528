from odoo import api, fields, models


class AccountBankStatement(models.Model):
    _inherit = "account.bank.statement"

    agency_matched_reference_count = fields.Integer(string="By Reference", compute="_compute_agency_matching")
    agency_matched_number_count = fields.Integer(string="By Number", compute="_compute_agency_matching")
    agency_matched_payer_count = fields.Integer(string="By Payer and Amount", compute="_compute_agency_matching")
    agency_left_count = fields.Integer(string="Left to Match", compute="_compute_agency_matching")
    agency_matching_summary = fields.Char(string="Automatic Matching", compute="_compute_agency_matching")

    @api.depends("line_ids.agency_match_state", "line_ids.agency_match_kind", "line_ids.is_reconciled")
    def _compute_agency_matching(self):
        Line = self.env["account.bank.statement.line"]
        counts = (
            {
                (statement.id, kind, reconciled): count
                for statement, kind, reconciled, count in Line._read_group(
                    [("statement_id", "in", self.ids), ("agency_match_state", "!=", False)],
                    ["statement_id", "agency_match_kind", "is_reconciled"],
                    ["__count"],
                )
            }
            if self.ids
            else {}
        )
        for statement in self:
            by_kind = {kind: counts.get((statement.id, kind, True), 0) for kind in ("reference", "number", "payer")}
            statement.agency_matched_reference_count = by_kind["reference"]
            statement.agency_matched_number_count = by_kind["number"]
            statement.agency_matched_payer_count = by_kind["payer"]
            statement.agency_left_count = len(statement.line_ids.filtered(lambda line: not line.is_reconciled))
            statement.agency_matching_summary = self.env._(
                "%(auto)s matched automatically (reference %(ref)s, number %(number)s, payer and amount "
                "%(payer)s), %(left)s left",
                auto=sum(by_kind.values()),
                ref=by_kind["reference"],
                number=by_kind["number"],
                payer=by_kind["payer"],
                left=statement.agency_left_count,
            )

    def action_agency_matching_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("agency_billing.action_agency_statement_line_matching")
        action["domain"] = [("statement_id", "=", self.id)]
        return action
