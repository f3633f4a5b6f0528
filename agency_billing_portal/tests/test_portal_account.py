from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestPortalAccount(AgencyBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_new_portal_user()
        cls.portal_user.partner_id.parent_id = cls.client_company
        cls.portal_partner = cls.portal_user.partner_id
        today = "2026-11-22"
        with freeze_time(today):
            cls.overdue_invoice = cls._make_invoice(cls.portal_partner, "2026-10-01", 1000.0)
            cls.open_invoice = cls._make_invoice(cls.portal_partner, "2026-11-20", 500.0)
        # another client's invoice, never shown to our customer
        cls.other_client = cls.env["res.partner"].create({"name": "Globex", "is_company": True})
        cls.other_user = cls._create_new_portal_user(login="globex.portal")
        cls.other_user.partner_id.parent_id = cls.other_client
        cls.other_invoice = cls._make_invoice(cls.other_user.partner_id, "2026-09-01", 7777.0)

    @classmethod
    def _make_invoice(cls, partner, date, amount):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_line_ids": [
                    (0, 0, {"name": "Creative work", "quantity": 1, "price_unit": amount, "tax_ids": [(5,)]})
                ],
            }
        )
        invoice.action_post()
        return invoice

    @freeze_time("2026-11-22")
    def test_account_card_values(self):
        summary = self.client_company._agency_account_summary()[self.client_company.id]
        self.assertAlmostEqual(summary["balance"], 1500.0)
        self.assertAlmostEqual(summary["overdue"], 1000.0)
        self.assertEqual(summary["overdue_count"], 1)
        self.assertEqual(summary["next_due_date"].isoformat(), "2026-12-20")

    def test_account_card_tour(self):
        """A customer logs in, sees its balance and what is overdue, and goes to pay."""
        with freeze_time("2026-11-22"):
            self.start_tour("/my", "agency_portal_balance", login=self.portal_user.login)

    @freeze_time("2026-11-22")
    def test_card_never_shows_another_clients_money(self):
        self.authenticate(self.other_user.login, self.other_user.login)
        page = self.url_open("/my").text
        self.assertIn("agency_account_card", page)
        self.assertIn("7,777.00", page)
        self.assertNotIn("1,500.00", page)
        self.assertNotIn("1,000.00", page)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open("/my").text
        self.assertIn("1,500.00", page)
        self.assertNotIn("7,777.00", page)

    @freeze_time("2026-11-22")
    def test_invoice_shown_in_the_agency_layout(self):
        """A billed client sees its invoice on the portal as it is printed: the agency invoice."""
        self.client_company.agency_billing_policy = "retainer"
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/{self.overdue_invoice.id}?report_type=html").text
        self.assertIn("agency_invoice", page)
        self.assertIn("1,000.00", page)
        # another client's invoice stays out of reach
        response = self.url_open(f"/my/invoices/{self.other_invoice.id}?report_type=html")
        self.assertNotIn("7,777.00", response.text)
