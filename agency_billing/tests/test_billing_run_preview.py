from odoo.tests import tagged

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunPreview(BillingRunCommon):
    """The preview: what each client will be billed, and why anything is left out."""

    def test_preview_reasons(self):
        globex, initech, hooli, umbrella, soylent = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "agency_billing_policy": "time_materials", **values}
                for name, values in (
                    ("Globex", {"agency_po_required": True}),
                    ("Initech", {}),
                    ("Hooli", {"agency_pilot_end_date": "2026-11-30"}),
                    ("Umbrella", {"agency_on_hold": True}),
                    ("Soylent", {"credit_limit": 500}),
                )
            ]
        )
        self.env.company.account_use_credit_limit = True
        for partner in (globex, hooli, umbrella, soylent):
            self._order(partner, False, [(self.hours, 10, 10)])
        run = self._run(partners=globex | initech | hooli | umbrella | soylent, bill=False)
        expected = {
            globex: "po_missing",
            initech: "nothing_to_bill",
            hooli: "pilot",
            umbrella: "on_hold",
            soylent: "credit_limit",
        }
        for partner, reason in expected.items():
            line = self._line(run, partner)
            self.assertEqual((line.state, line.reason), ("skipped", reason), partner.name)
            self.assertTrue(line.message)
        run.action_bill()
        self.assertFalse(run.invoice_ids)

    def test_preview_total_and_change_versus_last_period(self):
        self.client_company.agency_billing_policy = "time_materials"
        order = self._order(self.client_company, self.project_web, [(self.hours, 100, 10)])
        self._run(date="2026-10-05")
        order.order_line.qty_delivered = 25
        preview = self._run(bill=False)
        line = self._line(preview)
        self.assertEqual((line.state, line.amount, line.previous_amount), ("to_bill", 1500, 1000))
        self.assertEqual(line.change_percent, 50)
        self.assertFalse(preview.invoice_ids, "a preview creates no invoice")
