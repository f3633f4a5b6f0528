from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.agency_billing.models.res_partner import CLIENT_PROFILES

from .agency_reminder_hold import HOLD_KINDS


class AgencyLateClient(models.Model):
    """*Late Clients*: one row per client and company with installments past their due date; its current
    step is the last step sent for that money (the reminder log), its last reminder the last message of
    that company.

    "Past due" is the base addon's definition (``account.move.line._agency_due_lines_domain``), turned
    into SQL once when the view is created, with today's date applied by the database.
    """

    _name = "agency.late.client"
    _description = "Late Client"
    _auto = False
    _order = "days_late desc, amount_overdue desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    client_profile = fields.Selection(CLIENT_PROFILES, readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True, aggregator="sum")
    invoice_count = fields.Integer(string="Invoices", readonly=True, aggregator="sum")
    oldest_due_date = fields.Date(readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    step_id = fields.Many2one("agency.reminder.step", string="Current Step", readonly=True)
    last_reminder_date = fields.Date(string="Last Reminder", readonly=True)
    hold_kind = fields.Selection(HOLD_KINDS, string="On Hold", readonly=True)
    hold_until = fields.Date(readonly=True)
    collections = fields.Boolean(readonly=True)
    autopay = fields.Boolean(readonly=True, help="The client pays this company's invoices by autopay.")
    next_step_id = fields.Many2one("agency.reminder.step", string="Next Action", compute="_compute_next_step")
    next_date = fields.Date(string="Next Action Date", compute="_compute_next_step")

    def _compute_next_step(self):
        nexts = self.env["res.partner"]._agency_reminder_next_steps(self.partner_id)
        for row in self:
            row.next_step_id, row.next_date = nexts.get((row.partner_id.id, row.company_id.id), (False, False))

    def init(self):
        Line = self.env["account.move.line"]
        due = Line.sudo().with_context(active_test=False)._search(Line._agency_due_lines_domain())
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    WITH grouped AS (
                        SELECT MIN(aml.id) AS id,
                               aml.partner_id,
                               aml.company_id,
                               aml.company_currency_id AS currency_id,
                               SUM(aml.amount_residual) AS amount_overdue,
                               COUNT(DISTINCT aml.move_id) AS invoice_count,
                               MIN(aml.date_maturity) AS oldest_due_date,
                               ARRAY_AGG(aml.id) AS line_ids
                          FROM account_move_line aml
                         WHERE aml.id IN %(due)s AND aml.date_maturity < CURRENT_DATE
                      GROUP BY aml.partner_id, aml.company_id, aml.company_currency_id
                    )
                    SELECT grouped.id,
                           grouped.partner_id,
                           grouped.company_id,
                           grouped.currency_id,
                           partner.user_id,
                           partner.agency_client_profile AS client_profile,
                           partner.agency_reminder_collections AS collections,
                           grouped.amount_overdue,
                           grouped.invoice_count,
                           grouped.oldest_due_date,
                           CURRENT_DATE - grouped.oldest_due_date AS days_late,
                           last_log.step_id,
                           last_message.date AS last_reminder_date,
                           hold.kind AS hold_kind,
                           hold.date_until AS hold_until,
                           EXISTS (
                               SELECT 1 FROM agency_autopay_mandate mandate
                                WHERE mandate.partner_id = grouped.partner_id
                                  AND mandate.company_id = grouped.company_id AND mandate.state = 'on'
                           ) AS autopay
                      FROM grouped
                      JOIN res_partner partner ON partner.id = grouped.partner_id
                 LEFT JOIN LATERAL (
                           -- the last step this overdue money was sent (the most advanced of that day)
                           SELECT log.step_id
                             FROM agency_reminder_log log
                             JOIN agency_reminder_step step ON step.id = log.step_id
                            WHERE log.line_id = ANY(grouped.line_ids) AND log.state = 'sent'
                         ORDER BY log.date DESC, step.days DESC, log.id DESC
                            LIMIT 1
                      ) last_log ON TRUE
                 LEFT JOIN LATERAL (
                           SELECT MAX(message.date) AS date
                             FROM agency_reminder_message message
                            WHERE message.partner_id = grouped.partner_id
                              AND message.company_id = grouped.company_id
                      ) last_message ON TRUE
                 LEFT JOIN LATERAL (
                           SELECT h.kind, h.date_until
                             FROM agency_reminder_hold h
                        LEFT JOIN account_move hold_move ON hold_move.id = h.move_id
                            WHERE h.partner_id = grouped.partner_id AND h.state = 'open'
                              AND (h.move_id IS NULL OR hold_move.company_id = grouped.company_id)
                              AND (h.date_until IS NULL OR h.date_until >= CURRENT_DATE)
                         ORDER BY h.date_until NULLS FIRST, h.id
                            LIMIT 1
                      ) hold ON TRUE
                )
                """,
                table=SQL.identifier(self._table),
                due=due.subselect(),
            )
        )

    # ------------------------------------------------------------------
    # ACTIONS: on the client of the row
    # ------------------------------------------------------------------

    def action_open_client(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_send_next_step(self):
        self.ensure_one()
        return (
            self.partner_id.with_company(self.company_id)
            .with_context(agency_reminder_company_id=self.company_id.id)
            .action_agency_send_next_step()
        )

    def action_pause(self):
        self.ensure_one()
        return self.partner_id.with_context(agency_hold_kind="pause").action_agency_reminder_hold_wizard()

    def action_promise(self):
        self.ensure_one()
        return self.partner_id.with_context(agency_hold_kind="promise").action_agency_reminder_hold_wizard()

    def action_history(self):
        self.ensure_one()
        return self.partner_id.action_agency_reminder_history()
