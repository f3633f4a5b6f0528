from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.agency_billing.models.agency_statement_document import AgencyStatementDocument

from .common import AgencyBillingCommon

TODAY = "2026-11-23"


@tagged("post_install", "-at_install")
class TestStatementDocument(AgencyBillingCommon):
    """The statement PDF is rendered once and served from storage until what it prints changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Document = cls.env["agency.statement.document"]
        cls.invoice = cls._create_invoice(
            partner_id=cls.client_company.id,
            invoice_date="2026-10-01",
            invoice_line_ids=[cls._prepare_invoice_line(price_unit=1000.0, tax_ids=[])],
            post=True,
        )

    def _download(self, partner=None, date_from=None, date_to=None):
        """The PDF and how many times wkhtmltopdf was asked for it."""
        original = AgencyStatementDocument._render
        with patch.object(AgencyStatementDocument, "_render", autospec=True, side_effect=original) as render:
            content = (partner or self.client_department)._agency_statement_pdf(date_from, date_to)
        return content, render.call_count

    @freeze_time(TODAY)
    def test_rendered_once_until_it_changes(self):
        first, renders = self._download()
        self.assertEqual(renders, 1)
        self.assertIn(self.invoice.name, first.decode())
        document = self.Document.search([("partner_id", "=", self.client_company.id)])
        self.assertEqual(len(document), 1, "one document for the client's commercial entity")
        self.assertEqual(
            (document.date_from, document.date_to), (fields.Date.to_date("2026-09-01"), fields.Date.to_date(TODAY))
        )
        # the same statement again, from a contact of the client: stored, not rendered
        self.assertEqual(self._download(self.client_brand), (first, 0))
        # a payment changes the statement: rendered again, in place
        self._register_payment(self.invoice, amount=400.0, payment_date="2026-11-20")
        after_payment, renders = self._download()
        self.assertEqual(renders, 1)
        self.assertNotEqual(after_payment, first)
        self.assertEqual(self.Document.search_count([("partner_id", "=", self.client_company.id)]), 1)
        # the client's address is printed: a new one renders again
        self.client_company.street = "1 New Street"
        self.assertEqual(self._download()[1], 1)
        self.assertEqual(self._download()[1], 0)
        # another period is another document
        self.assertEqual(self._download(date_from="2026-01-01", date_to="2026-06-30")[1], 1)
        self.assertEqual(self.Document.search_count([("partner_id", "=", self.client_company.id)]), 2)

    @freeze_time(TODAY)
    def test_prepared_for_portal_clients(self):
        portal_user = self._create_new_portal_user(login="statement.portal")
        portal_user.partner_id.parent_id = self.client_company
        other = self.partner_a  # invoiced, no portal user
        self._create_invoice(
            partner_id=other.id,
            invoice_date="2026-10-01",
            invoice_line_ids=[self._prepare_invoice_line(price_unit=50.0, tax_ids=[])],
            post=True,
        )
        old = self.Document.sudo().create(
            {
                "partner_id": other.id,
                "company_id": self.env.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
                "lang": "en_US",
                "checksum": "old",
                "pdf": "JVBERi0=",
            }
        )
        self.env.cr.execute(
            "UPDATE agency_statement_document SET write_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=8), old.id),
        )
        self._prepare()
        prepared = self.Document.search([("partner_id", "in", (self.client_company | other).ids)])
        self.assertEqual(prepared.partner_id, self.client_company, "only the client with portal access")
        self.assertEqual(prepared.date_to, fields.Date.to_date(TODAY))
        self.assertFalse(old.exists(), "a statement nobody asked for during a week is forgotten")
        # the customer's download is the prepared one
        self.assertEqual(self._download()[1], 0)

    def _prepare(self, **context):
        """The scheduled action as the scheduler runs it (no commit inside the test); the clients it prepared
        (rendered, or found unchanged)."""
        cron = self.env.ref("agency_billing.ir_cron_agency_prepare_statements")
        self.assertEqual(cron.code.strip(), "model._cron_prepare_statements()")
        progress = []

        def commit_progress(cron_model, processed=0, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0  # seconds left

        original = AgencyStatementDocument._get_pdf
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress),
            patch.object(AgencyStatementDocument, "_get_pdf", autospec=True, side_effect=original) as prepared,
        ):
            self.Document.with_user(cron.user_id).with_context(**context)._cron_prepare_statements()
        if progress:
            self.assertEqual(progress[-1], (1, 0), "progress committed client by client")
        return self.env["res.partner"].concat(*(call.args[1] for call in prepared.call_args_list))

    def test_later_runs_of_the_day_prepare_what_changed(self):
        """On a new day every client's statement is prepared (it ends today); a run triggered later the same
        day prepares only the clients whose entries changed since the last run."""
        acme_user = self._create_new_portal_user(login="statement.acme")
        acme_user.partner_id.parent_id = self.client_company
        beta = self.env["res.partner"].create({"name": "Beta Studio", "is_company": True})
        beta_user = self._create_new_portal_user(login="statement.beta")
        beta_user.partner_id.parent_id = beta
        beta_invoice = self._create_invoice(
            partner_id=beta.id,
            invoice_date="2026-10-01",
            invoice_line_ids=[self._prepare_invoice_line(price_unit=50.0, tax_ids=[])],
            post=True,
        )
        self.assertEqual(self._prepare(), self.client_company | beta, "a first run prepares every client")
        self.env.flush_all()
        now = self.env.cr.now()
        self.env.cr.execute(
            "UPDATE account_move SET write_date = %s WHERE id = %s", (now - timedelta(hours=1), beta_invoice.id)
        )
        self._register_payment(self.invoice, amount=100.0)
        self.env.flush_all()
        self.assertEqual(self._prepare(lastcall=now), self.client_company, "only the client that paid")
        self.assertEqual(self._prepare(lastcall=now - timedelta(days=1)), self.client_company | beta, "a new day")

    @freeze_time(TODAY)
    def test_billing_and_payments_prepare_again(self):
        cron = self.env.ref("agency_billing.ir_cron_agency_prepare_statements")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.env.company.agency_billing_auto_post = True
        self.env["agency.billing.run"].sudo().create({"date": TODAY})._after_invoices_created(self.invoice.copy())
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1, "after a billing run")
        self._register_payment(self.invoice, amount=100.0)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 2, "after a payment")
