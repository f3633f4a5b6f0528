from datetime import timedelta

from odoo.tests import tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestLateFeeReminderRun(AgencyReminderCommon):
    """The shipped business cadence charges the EU preset once, when its formal notice goes out, however
    often the scheduled run works."""

    def test_formal_notice_charges_the_statutory_fee_once(self):
        client = self._client("Retard SARL")
        client.country_id = self.env.ref("base.fr")
        invoice = self._invoice(client, "2026-10-01", 3650.0)  # due 2026-10-31
        # the rate of the half-year (a rate never carries over to a later half-year)
        self.env["agency.reference.rate"].create({"date_from": "2026-07-01", "rate": 2.15})
        self._run_days(invoice.invoice_date_due + timedelta(days=30), 16)
        notice = self._logs(client).filtered(lambda log: log.step_id.charge_late_fee)
        self.assertEqual(len(notice), 1, "the formal notice was sent once")
        fee = invoice.agency_late_fee_move_ids
        self.assertEqual(len(fee), 1, "charged once although the run worked twice a day")
        self.assertEqual(fee.invoice_date, notice.date)
        days = (notice.date - invoice.invoice_date_due).days
        preset = self.env.ref("agency_billing_reminders.late_fee_policy_eu_business")
        self.assertEqual(invoice.agency_late_fee_ids.policy_id, preset)
        interest = invoice.agency_late_fee_ids.filtered(lambda fee: fee.component == "interest")
        # the rate of 2026-07-01 (2.15 %) plus 8 points: 10.15 % a year on 3,650.00
        self.assertEqual(interest.amount, invoice.currency_id.round(3650.0 * 0.1015 * days / 365))
        self.assertEqual(str(interest.date_from), "2026-11-01")
        self.assertTrue(invoice.agency_late_fee_ids.filtered(lambda fee: fee.component == "compensation"))
