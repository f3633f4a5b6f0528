from unittest.mock import patch

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

    def test_preview_last_period_of_a_client_billed_last_month(self):
        """Last Period is what the client was billed last month, whoever made the invoice: the
        scheduled billing, or staff by hand (the demo's invoices); not $0.00."""
        self.client_company.agency_billing_policy = "time_materials"
        other = self.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_billing_policy": "time_materials"}
        )
        order = self._order(self.client_company, self.project_web, [(self.hours, 100, 10)])
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            self.env["agency.billing.run"]._cron_bill_due_clients(date_ref="2026-10-05")
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": other.id,
                "invoice_date": "2026-10-20",
                "invoice_line_ids": [(0, 0, {"name": "Design", "quantity": 1, "price_unit": 800, "tax_ids": []})],
            }
        ).action_post()
        order.order_line.qty_delivered = 15
        self._order(other, False, [(self.hours, 10, 10)])
        preview = self._run(partners=self.client_company | other, bill=False)
        self.assertRecordValues(
            self._line(preview) | self._line(preview, other),
            [
                {"amount": 500, "previous_amount": 1000, "change_percent": -50},
                {"amount": 1000, "previous_amount": 800, "change_percent": 25},
            ],
        )
