from odoo import fields
from odoo.tests import tagged

from .late_fee_common import AgencyLateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeEuPreset(AgencyLateFeeCommon):
    """Directive 2011/7/EU: business clients in the EU pay the reference rate + 8 points from the day after
    the due date and 40 EUR once per invoice; private persons and public administrations do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.preset = cls.env.ref("agency_billing_reminders.late_fee_policy_eu_business")
        cls.france = cls.env.ref("base.fr")
        cls.client.country_id = cls.france
        cls.env["agency.reference.rate"].create(
            {"date_from": "2026-01-01", "rate": 2.0, "company_id": cls.env.company.id}
        )

    def test_shipped_with_the_business_cadence(self):
        self.assertEqual(self.env.ref("agency_billing_reminders.cadence_business").late_fee_policy_id, self.preset)
        self.assertFalse(self.env.ref("agency_billing_reminders.cadence_private").late_fee_policy_id)
        self.assertFalse(self.env.ref("agency_billing_reminders.cadence_public").late_fee_policy_id)
        self.assertRecordValues(
            self.preset,
            [
                {
                    "kind": "interest",
                    "use_reference_rate": True,
                    "annual_rate": 8.0,
                    "grace_days": 0,
                    "compensation_amount": 40.0,
                    "currency_id": self.env.ref("base.EUR").id,
                    "apply_business": True,
                    "apply_public": False,
                    "apply_private": False,
                }
            ],
        )

    def test_business_client_in_the_eu(self):
        invoice = self._overdue_invoice(amount=3650.0)  # due 2026-05-31
        fee = self._charge(invoice, self.preset, "2026-06-10")
        compensation = self.preset.currency_id._convert(
            40.0, invoice.currency_id, invoice.company_id, fields.Date.to_date("2026-06-10")
        )
        # 2026-06-01..10: 10 days at 10 % on 3,650.00 = 10.00
        lines = fee.invoice_line_ids.sorted("id")
        self.assertEqual(lines.mapped("price_unit"), [10.0, invoice.currency_id.round(compensation)])
        self.assertIn("10 %", lines[0].name)
        self.assertFalse(fee.amount_tax)
        second = self._charge(invoice, self.preset, "2026-06-20")
        self.assertEqual(second.invoice_line_ids.mapped("price_unit"), [10.0], "the 40 EUR once per invoice")

    def test_not_for_private_persons_public_bodies_or_outside_the_eu(self):
        private = self._client_like(agency_client_profile="private", is_company=False)
        public = self._client_like(agency_client_profile="public")
        outside = self._client_like(country_id=self.env.ref("base.us").id)
        invoices = self._overdue_invoice(partner=private) | self._overdue_invoice(partner=public)
        invoices |= self._overdue_invoice(partner=outside)
        self.assertFalse(self._charge(invoices, self.preset, "2026-07-31"))

    def _client_like(self, **values):
        return self.client.copy(dict({"name": "Other client"}, **values))
