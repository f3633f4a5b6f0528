from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .recommendation_common import AgencyRecommendationCommon


@tagged("post_install", "-at_install")
class TestRecommendationRenewals(AgencyRecommendationCommon):
    """What the client already buys comes back as "renewal due" with its date, apart from new services."""

    def setUp(self):
        super().setUp()
        self.env.company.agency_upsell_renewal_days = 60
        self.months_ago = lambda months, days=0: self.today - relativedelta(months=months, days=days)

    def test_yearly_services_come_due(self):
        # hosting is set to renew every 12 months: bought 11 months ago, due in a month
        self._bill(self.client_company, [(self.hosting, 300)], date=self.months_ago(11))
        # the audit is bought every year (seen twice): due a year after the last one
        self._bill(self.client_company, [(self.audit, 2000)], date=self.months_ago(23))
        self._bill(self.client_company, [(self.audit, 2000)], date=self.months_ago(11, days=10))
        # SEO is billed every month: not a renewal
        for months in range(1, 4):
            self._bill(self.client_company, [(self.seo, 900)], date=self.months_ago(months))
        self._refresh()
        renewals = self.client_company._agency_renewals()
        self.assertEqual([vals["product"] for vals in renewals], [self.audit, self.hosting])
        self.assertEqual(renewals[0]["date"], self.months_ago(11, days=10) + relativedelta(months=12))
        self.assertEqual(renewals[1]["date"], self.months_ago(11) + relativedelta(months=12))
        self.assertIn("Renewal of Hosting due on", renewals[1]["reason"])
        self.assertIn("Audit is usually bought again around", renewals[0]["reason"])
        self.assertAlmostEqual(renewals[1]["expected_monthly"], 300)
        # and nothing it buys is suggested as new
        self.assertFalse(self.client_company._agency_suggestion_records().product_id & renewals[0]["product"])

    def test_hourly_service_is_ordered_again_not_renewed(self):
        design = self.env["product.product"].create(
            {
                "name": "Design hour",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "taxes_id": [],
            }
        )
        for months in (9, 6, 3):  # a block of hours every quarter
            self._bill(self.client_company, [(design, 1000)], date=self.months_ago(months, days=-10))
        self._refresh()
        [renewal] = self.client_company._agency_renewals()
        self.assertEqual(renewal["product"], design)
        self.assertIn("More Design hour: usually ordered again around", renewal["reason"])
        self.assertNotIn("Renewal", renewal["reason"])

    def test_renewal_not_due_yet_is_not_shown(self):
        self._bill(self.client_company, [(self.hosting, 300)], date=self.months_ago(2))
        self._refresh()
        self.assertEqual(self.client_company._agency_renewals(), [])
        self.env.company.agency_upsell_renewal_days = 365
        self.assertEqual([vals["product"] for vals in self.client_company._agency_renewals()], [self.hosting])

    def test_retainer_running_out_is_due_for_renewal(self):
        self.env.user.group_ids += self.env.ref("sales_team.group_sale_manager")
        retainer = self.env["product.product"].create(
            {"name": "Retainer", "type": "service", "invoice_policy": "order", "agency_is_retainer": True}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client_company.id,
                "order_line": [(0, 0, {"product_id": retainer.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        self.env.company.agency_upsell_renewal_days = 70
        [renewal] = self.client_company._agency_renewals()
        self.assertEqual(renewal["product"], retainer)
        self.assertIn(order.name, renewal["reason"])
        self.assertIn("Retainer", str(self.client_company.agency_renewals_html))
        # a long retainer is not
        order.order_line.product_uom_qty = 12
        self.assertEqual(self.client_company._agency_renewals(), [])
