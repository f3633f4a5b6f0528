"""The customer's portal in a real headless Chromium: statement, paying a selection and a part, a dispute, a quote."""

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_billing_portal.tests.common import AgencyPortalCommon

TODAY = "2026-11-22"


@tagged("post_install", "-at_install")
class TestPortalTours(AgencyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            # INV/2026/00001: a consolidated invoice of two projects, overdue
            cls.consolidated = cls._make_invoice(
                cls.portal_partner, "2026-10-01", [1200.0, 800.0], sections=["Website redesign", "Brand campaign"]
            )
            # INV/2026/00002: open, not due yet
            cls.open_invoice = cls._make_invoice(cls.portal_partner, "2026-11-10", [250.0])
            # INV/2026/00003: paid in September
            cls.paid = cls._make_invoice(cls.portal_partner, "2026-08-01", [900.0])
            cls._register_payment(cls.paid, payment_date="2026-09-15")
        assert cls.consolidated.name == "INV/2026/00001", cls.consolidated.name  # the tours find it by name

    def _tour(self, name, url):
        with freeze_time(TODAY):
            self.start_tour(url, name, login=self.portal_user.login)

    def test_read_and_download_the_statement(self):
        self._tour("agency_portal_statement", "/my")

    def test_pay_a_selection_of_two_invoices(self):
        self._tour("agency_portal_pay_selection", "/my/invoices?filterby=open")
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.consolidated.ids)])
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, self.consolidated | self.open_invoice)
        for invoice in self.consolidated | self.open_invoice:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)

    def test_pay_a_partial_amount(self):
        self._tour("agency_portal_pay_partial", "/my/invoices?filterby=open")
        self.assertAlmostEqual(self.consolidated.amount_residual, 2000.0 - 300.5)
        self.assertEqual(self.consolidated.payment_state, "partial")
        # the reminders addon queues its thank-you receipt for the payment
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.consolidated.ids)])
        self.assertIn(tx.payment_id.move_id.agency_receipt_state, ("to_send", "sent"))

    def test_dispute_one_projects_section(self):
        self._tour("agency_portal_dispute_section", "/my/invoices?filterby=open")
        Hold = self.env["agency.reminder.hold"]
        section = self.consolidated.invoice_line_ids.filtered(lambda line: line.name == "Brand campaign")
        hold = Hold.search([("move_id", "=", self.consolidated.id)])
        self.assertEqual((hold.kind, hold.origin, hold.state), ("dispute", "portal", "open"))
        self.assertEqual(hold.section_line_id, section)
        with freeze_time(TODAY):
            self.assertIn(hold, Hold.search(Hold._agency_active_domain()), "reminders are paused for the section")
        self.assertNotEqual(self.consolidated.payment_state, "blocked", "the other project is still chased")

    def test_request_a_quote(self):
        company = self.env.company
        company.write(
            {"agency_upsell_enabled": True, "agency_upsell_skip_overdue": False, "agency_upsell_min_clients": 3}
        )
        product, anchor = self.env["product.product"].create(
            [
                {"name": "SEO audit", "type": "service", "list_price": 1500.0, "sale_ok": True},
                {"name": "Website care", "type": "service", "list_price": 300.0, "sale_ok": True},
            ]
        )
        # five clients buy the website care and the SEO audit together (what the suggestion rests on)
        self.env["agency.recommendation.pair"].sudo().create(
            {
                "company_id": company.id,
                "product_id": anchor.id,
                "other_product_id": product.id,
                "client_count": 5,
                "monthly_sum": 7500.0,
            }
        )
        self.env["agency.recommendation"].sudo().create(
            {
                "company_id": company.id,
                "partner_id": self.client_company.id,
                "product_id": product.id,
                "kind": "new",
                "rank": 1,
                "score": 0.8,
                "support": 5,
                "anchor_product_id": anchor.id,
                "anchor_count": 5,
            }
        )
        self._tour("agency_portal_request_quote", "/my/account/billing")
        order = (
            self.env["sale.order"]
            .sudo()
            .search([("partner_id", "=", self.client_company.id), ("order_line.product_id", "=", product.id)])
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.activity_ids)

    def test_choose_a_payment_plan(self):
        self._tour("agency_portal_payment_plan", "/my/account/billing")
        plan = self.env["agency.payment.plan"].search([("partner_id", "=", self.client_company.id)])
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.invoice_ids, self.consolidated | self.open_invoice)
        self.assertEqual(len(plan.line_ids), 3)
        self.assertAlmostEqual(plan.amount_total, 2250.0)

    def test_autopay_save_a_method_and_opt_in(self):
        """Save a payment method on Odoo's own page, turn autopay on (consent ticked), then off."""
        self.portal_partner.commercial_partner_id.payment_token_ids.sudo().unlink()
        self._tour("agency_portal_autopay", "/my/account/billing")
        mandate = (
            self.env["agency.autopay.mandate"]
            .sudo()
            .search([("partner_id", "=", self.portal_partner.commercial_partner_id.id)])
        )
        self.assertEqual(mandate.state, "off")
        self.assertEqual(mandate.consent_user_id, self.portal_user)
        self.assertEqual(mandate.off_user_id, self.portal_user)
        self.assertIn("4242", mandate.token_id.payment_details or mandate.token_id.display_name)
        self.assertEqual(mandate.company_id, self.env.company)
