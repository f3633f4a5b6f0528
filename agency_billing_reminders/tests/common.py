from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon
from odoo.addons.mail.tests.common import MockEmail


class AgencyReminderCommon(AgencyBillingCommon, MockEmail):
    """Clients of each profile with invoices, and helpers to run the reminders on a given day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Sam Sales",
                "login": "sam.sales",
                "email": "sam@agency.example.com",
                "group_ids": [Command.set(cls.env.ref("agency_billing.group_agency_billing_user").ids)],
            }
        )
        cls.client_company.user_id = cls.salesperson
        cls.client_brand.email = "accounts@acme.example.com"  # the billing contact
        cls.cadence_business = cls.env.ref("agency_billing_reminders.cadence_business")
        cls.cadence_public = cls.env.ref("agency_billing_reminders.cadence_public")
        cls.cadence_private = cls.env.ref("agency_billing_reminders.cadence_private")
        cls.env["ir.config_parameter"].sudo().set_param("mail.catchall.domain", "agency.example.com")

    @classmethod
    def _client(cls, name, profile="business", email=None, lang=None):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": profile != "private",
                "email": email or f"{name.split()[0].lower()}@example.com",
                "agency_client_profile": profile,
                "lang": lang,
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )

    @classmethod
    def _invoice(cls, partner, date, amount, **kwargs):
        return cls.init_invoice(
            "out_invoice", partner=partner, invoice_date=date, amounts=[amount], post=True, **kwargs
        )

    def _run(self, date):
        """The scheduled run on ``date``, as the scheduler calls it (commits become no-ops in tests)."""
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            self.env["res.partner"]._cron_agency_send_reminders(date_ref=date)

    def _logs(self, partner, state="sent"):
        return self.env["agency.reminder.log"].search(
            [("partner_id", "=", partner.commercial_partner_id.id), ("state", "=", state)], order="date, id"
        )

    def _messages(self, partner):
        return self.env["agency.reminder.message"].search(
            [("partner_id", "=", partner.commercial_partner_id.id)], order="date, id"
        )

    def _days(self, start, count):
        first = fields.Date.to_date(start)
        return [first + timedelta(days=offset) for offset in range(count)]

    def _run_days(self, start, count, twice=True):
        """The scheduled run every day (twice a day: morning and evening) from ``start``, time frozen."""
        for day in self._days(start, count):
            for hour in ("08:00", "20:00") if twice else ("08:00",):
                with freeze_time(f"{day} {hour}"):
                    self._run(day)

    def _sent_days(self, partner):
        """{date: [step names]} of the messages a client got."""
        days = {}
        for message in self._messages(partner):
            days.setdefault(str(message.date), []).extend(message.log_ids.step_id.mapped("name"))
        return days
