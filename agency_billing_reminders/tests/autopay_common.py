from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import AgencyReminderCommon


class AgencyAutopayCommon(AgencyReminderCommon):
    """A client on autopay with Odoo's demo provider (outcomes from the token's simulated state)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider(cls.env.company)
        cls.client = cls._client("Autopay Client GmbH")
        cls.portal_user = cls._portal_user(cls.client, "autopay.portal")
        cls.token = cls._token(cls.client)

    @classmethod
    def _demo_provider(cls, company):
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", company.id)], limit=1)
        if not provider:
            provider = cls.env.ref("payment.payment_provider_demo").sudo().copy({"company_id": company.id})
        provider.write({"state": "test", "is_published": True, "allow_tokenization": True})
        return provider

    @classmethod
    def _portal_user(cls, client, login):
        contact = cls.env["res.partner"].create(
            {"name": f"{login} contact", "parent_id": client.id, "email": f"{login}@example.com"}
        )
        return new_test_user(cls.env, login=login, groups="base.group_portal", partner_id=contact.id)

    @classmethod
    def _token(cls, client, state="done", provider=None):
        provider = provider or cls.provider
        return (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": cls.env.ref("payment_demo.payment_method_demo").id,
                    "partner_id": client.id,
                    "payment_details": "4242",
                    "provider_ref": f"demo-{client.id}",
                    "demo_simulated_state": state,
                }
            )
        )

    def _inv(self, amounts, *, date="2026-11-01", sections=None, term=None, company=None, partner=None):
        """A posted invoice without taxes, one line per amount (under its own project section if named)."""
        lines = []
        for index, amount in enumerate(amounts):
            if sections:
                lines.append(Command.create({"display_type": "line_section", "name": sections[index]}))
            lines.append(
                Command.create(
                    {"name": f"Work {index + 1}", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                )
            )
        company = company or self.env.company
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.client).id,
                    "company_id": company.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": lines,
                    "invoice_payment_term_id": (term or self.env.ref("account.account_payment_term_30days")).id,
                }
            )
        )
        invoice.action_post()
        return invoice

    def _turn_on(self, user=None, token=None, company=None):
        user = user or self.portal_user
        token = token or self.token
        company = company or self.env.company
        return self.env["agency.autopay.mandate"].with_user(user)._agency_autopay_turn_on(token.id, company.id)

    def _autopay(self, date):
        """The scheduled charge run on ``date`` (commits become no-ops in tests)."""
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            return self.env["agency.autopay.mandate"]._cron_agency_autopay(date_ref=date)

    def _autopay_days(self, start, count, reminders=False):
        """Both scheduled actions twice a day (morning and evening) from ``start``, time frozen."""
        for day in self._days(start, count):
            for hour in ("08:00", "20:00"):
                with freeze_time(f"{day} {hour}"):
                    self._autopay(day)
                    if reminders:
                        self._run(day)

    def _charges(self, partner=None):
        partner = partner or self.client
        return self.env["agency.autopay.charge"].search([("partner_id", "=", partner.id)], order="attempt, id")

    @staticmethod
    def _d(text):
        return fields.Date.to_date(text)
