import base64
import hashlib
import json
import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

STATEMENT_REPORT = "agency_billing.action_report_customer_statement"
STATEMENT_VIEWS = (
    "agency_billing.report_customer_statement",
    "agency_billing.report_customer_statement_document",
    "agency_billing.agency_layout",
)
KEEP_DAYS = 7


class AgencyStatementDocument(models.Model):
    """A customer statement PDF kept until what it shows changes.

    wkhtmltopdf takes more than a second for a statement; the customer downloads the same statement many
    times. A document is stored per client, company, period and language with the checksum of everything
    the PDF prints (the statement's lines and balances, the client's and the company's letterhead, the
    report's templates): a download whose checksum matches gets the stored file, any other renders a new
    one in its place. A scheduled action prepares the default period's statement of every client with
    portal access, so the first download of the day is a stored one too.
    """

    _name = "agency.statement.document"
    _description = "Prepared customer statement"
    _order = "write_date desc"

    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    lang = fields.Char(string="Language", required=True)
    checksum = fields.Char(required=True, help="Digest of everything the PDF prints")
    pdf = fields.Binary(string="PDF", attachment=True, required=True)

    _unique_statement = models.Constraint(
        "UNIQUE(partner_id, company_id, date_from, date_to, lang)",
        "A client has one prepared statement per company, period and language.",
    )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _get_pdf(self, partner, date_from=None, date_to=None, company=None, store=True):
        """The statement PDF (bytes) of ``partner``'s commercial entity, in its language: the stored one
        while nothing it shows has changed, else a new rendering, stored for the next download (unless
        ``store`` is False and none was stored for that period: a period asked once is not kept)."""
        partner = partner.commercial_partner_id
        company = (company or self.env.company).with_env(self.env)
        lang = partner.lang or self.env.lang or "en_US"
        data = partner.with_context(lang=lang)._agency_statement_data(date_from, date_to, company)
        checksum = self._checksum(partner, company, data)
        key = Domain(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("date_from", "=", data["date_from"]),
                ("date_to", "=", data["date_to"]),
                ("lang", "=", lang),
            ]
        )
        document = self.sudo().with_context(bin_size=False).search(key, limit=1)
        if document.checksum == checksum and document.pdf:
            return base64.b64decode(document.pdf)
        content = self._render(partner, company, data, lang)
        if not store and not document:
            return content
        values = {"checksum": checksum, "pdf": base64.b64encode(content)}
        try:
            with self.env.cr.savepoint():
                if document:
                    document.write(values)
                else:
                    self.sudo().create(
                        {
                            **values,
                            "partner_id": partner.id,
                            "company_id": company.id,
                            "date_from": data["date_from"],
                            "date_to": data["date_to"],
                            "lang": lang,
                        }
                    )
        except psycopg2.Error as error:  # another worker stored the same statement at the same time
            _logger.info("Statement of client %s not stored (%s): served as rendered", partner.id, error.pgcode)
        return content

    @api.model
    def _render(self, partner, company, data, lang):
        options = {
            "date_from": fields.Date.to_string(data["date_from"]),
            "date_to": fields.Date.to_string(data["date_to"]),
            "company_id": company.id,
        }
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=lang)
            ._render_qweb_pdf(STATEMENT_REPORT, partner.ids, data=options)
        )
        return content

    @api.model
    def _checksum(self, partner, company, data):
        """A digest of everything the statement PDF prints: its data and its letterhead."""
        payload = json.dumps([data, self._letterhead_stamp(partner, company)], default=self._json_value, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _letterhead_stamp(self, partner, company):
        """The client's name and address as printed, and when the client, the agency's letterhead or the
        report's templates last changed."""
        views = (
            self.env["ir.ui.view"]
            .sudo()
            ._read_group(
                [("key", "in", (*STATEMENT_VIEWS, company.external_report_layout_id.key))], [], ["write_date:max"]
            )
        )
        return [
            partner.name,
            partner.vat,
            partner._display_address(),
            partner.write_date,
            company.write_date,
            company.partner_id.write_date,
            company.external_report_layout_id.id,
            views[0][0],
        ]

    @api.model
    def _json_value(self, value):
        if isinstance(value, models.BaseModel):
            return [value._name, value.ids]
        return str(value)

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _prepare_clients(self):
        """The clients whose statement is prepared ahead: those with a portal user (commercial entities)."""
        users = self.env["res.users"].sudo().search([("share", "=", True)])
        return users.partner_id.commercial_partner_id

    @api.model
    def _clients_to_prepare(self):
        """(client, company) pairs whose statement to prepare: every client with portal access on a new
        day (the default period ends today), else those whose entries changed since the last run."""
        clients = self._prepare_clients()
        domain = Domain([("commercial_partner_id", "in", clients.ids), ("state", "=", "posted")])
        lastcall = self.env.context.get("lastcall")
        if lastcall and lastcall.date() == fields.Datetime.now().date():
            changed = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [("commercial_partner_id", "in", clients.ids), ("write_date", ">=", lastcall)],
                    ["commercial_partner_id"],
                )
            )
            domain &= Domain("commercial_partner_id", "in", [partner.id for (partner,) in changed])
        pairs = self.env["account.move"].sudo()._read_group(domain, ["commercial_partner_id", "company_id"])
        return sorted(pairs, key=lambda pair: (pair[1].id, pair[0].id))

    @api.model
    def _cron_prepare_statements(self):
        """Prepare today's default statement of the clients with portal access, in each company where they
        have entries; forget the statements nobody asked for during a week."""
        self.sudo().search([("write_date", "<", fields.Datetime.now() - timedelta(days=KEEP_DAYS))]).unlink()
        pairs = self._clients_to_prepare()
        Cron = self.env["ir.cron"]
        for done, (partner, company) in enumerate(pairs, 1):
            self.with_company(company)._get_pdf(partner, company=company)
            if Cron._commit_progress(1, remaining=len(pairs) - done) <= 0:
                return

    @api.model
    def _trigger_prepare(self):
        """Have the statements prepared again soon (their entries changed)."""
        self.env.ref("agency_billing.ir_cron_agency_prepare_statements").sudo()._trigger()
