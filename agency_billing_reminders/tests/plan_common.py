from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user

from .common import AgencyReminderCommon


class AgencyPlanCommon(AgencyReminderCommon):
    """A client of the business profile with one overdue invoice, a portal user of that client, and the
    two scheduled actions (reminders, payment plans) driven twice a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["agency.payment.plan"]
        cls.client = cls._client("Planned SARL")
        cls.client.country_id = cls.env.ref("base.fr")
        cls.client.user_id = cls.salesperson
        cls.invoice = cls._invoice(cls.client, "2026-10-01", 1200.0)  # due 2026-10-31
        cls.total = cls.invoice.amount_residual
        cls.portal_user = new_test_user(cls.env, login="planned.portal", groups="base.group_portal")
        cls.portal_user.partner_id.parent_id = cls.client
        cls.cadence = cls.cadence_business
        cls.env["agency.reference.rate"].create({"date_from": "2026-07-01", "rate": 2.15})

    def _propose(self, months, invoices=None, user=None, lang=None, **kwargs):
        """The customer's (``user``'s) proposal, in its language as the portal calls it."""
        user = user or self.portal_user
        Plan = self.Plan.with_user(user).with_context(lang=lang or user.lang)
        invoices = (invoices or self.invoice).with_env(Plan.env)
        return Plan._agency_propose(invoices, months, **kwargs)

    def _run_plans(self, date):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            self.Plan._cron_agency_payment_plans(date_ref=date)

    def _drive(self, start, count, payments=None):
        """Both scheduled actions twice a day from ``start`` for ``count`` days; ``payments``: ``{date: amount}``
        registered on the invoice that morning, before the runs."""
        payments = payments or {}
        for day in self._days(start, count):
            for hour in ("08:00", "20:00"):
                with freeze_time(f"{day} {hour}"):
                    if hour == "08:00" and str(day) in payments:
                        self._register_payment(self.invoice, amount=payments[str(day)], payment_date=day)
                    self._run_plans(day)
                    self._run(day)

    def _plan_mails(self, plan):
        return self.env["mail.mail"].search(
            [("model", "=", "agency.payment.plan.line"), ("res_id", "in", plan.line_ids.ids)], order="id"
        )
