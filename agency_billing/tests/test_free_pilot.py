from unittest.mock import patch

from odoo.tests import tagged

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestFreePilot(BillingRunCommon):
    def test_nothing_billed_during_the_pilot_and_the_client_is_told_once(self):
        self.client_company.write(
            {
                "agency_billing_policy": "time_materials",
                "agency_pilot_end_date": "2026-11-30",
                "agency_pilot_notice_days": 7,
            }
        )
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self.assertEqual(self._line(self._run(date="2026-11-20")).reason, "pilot")
        Partner = self.env["res.partner"]
        Mail = self.env["mail.mail"]
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            Partner._cron_agency_pilot_notice(date_ref="2026-11-22")
            self.assertFalse(Mail.search([("subject", "ilike", "free pilot")]), "8 days before: not yet")
            Partner._cron_agency_pilot_notice(date_ref="2026-11-23")
            Partner._cron_agency_pilot_notice(date_ref="2026-11-24")
        mails = Mail.search([("subject", "ilike", "free pilot")])
        self.assertEqual(len(mails), 1, "told once")
        self.assertIn(self.client_company, mails.recipient_ids)
        # after the pilot, the work is billed
        self.assertEqual(self._run(date="2026-12-05").invoice_ids.amount_untaxed, 1000)
