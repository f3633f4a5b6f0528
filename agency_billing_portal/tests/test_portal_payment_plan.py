from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon

TODAY = "2026-11-22"


@tagged("post_install", "-at_install")
class TestPortalPaymentPlan(AgencyPortalCommon, HttpCase):
    """Pay in installments from the portal: the schedule shown is the one the model makes, bad input is
    a message on the page and saves nothing, the plan shows on My account and on the invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.overdue = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.theirs = cls._make_invoice(cls.other_user.partner_id, "2026-10-01", [777.0])
        cls.Plan = cls.env["agency.payment.plan"]

    def setUp(self):
        super().setUp()
        self.authenticate(self.portal_user.login, self.portal_user.login)

    def _send(self, **data):
        data = {"csrf_token": http.Request.csrf_token(self), "invoice_ids": str(self.overdue.id), **data}
        return self.url_open("/my/account/plan", data=data)

    @freeze_time(TODAY)
    def test_preview_then_send(self):
        page = self.url_open(f"/my/account/plan?invoice_ids={self.overdue.id}&months=4").text
        self.assertEqual(page.count("agency_plan_line"), 4)
        self.assertIn("This plan goes to the agency", page, "4 payments: beyond the 3 accepted at once")
        self.assertFalse(self.Plan.search([]), "a preview saves nothing")
        self.assertIn("agency_pay_in_installments", self.url_open(self.overdue.get_portal_url()).text)
        response = self._send(months="4")
        plan = self.Plan.search([])
        self.assertEqual((plan.state, plan.origin, len(plan.line_ids)), ("proposed", "portal", 4))
        self.assertIn("sent to the agency", response.text)
        account = self.url_open("/my/account/billing").text
        self.assertIn("agency_payment_plans", account)
        self.assertIn("Waiting for the agency", account)
        invoice_page = self.url_open(self.overdue.get_portal_url()).text
        self.assertIn("agency_invoice_plan", invoice_page)
        self.assertNotIn("agency_pay_in_installments", invoice_page, "one plan per invoice")

    @freeze_time(TODAY)
    def test_bad_input_is_a_message_and_saves_nothing(self):
        cases = [
            ({"months": "1000"}, "Choose between 2 and 6"),
            ({"months": "0"}, "Choose between 2 and 6"),
            ({"months": "3", "first_amount": "5000"}, "cannot be more than what is owed"),
            ({"months": "3", "first_amount": "abc"}, "is not an amount"),
            ({"months": "3", "invoice_ids": str(self.theirs.id)}, "not yours"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self._send(**data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                query = "&".join(f"{key}={value}" for key, value in {"invoice_ids": self.overdue.id, **data}.items())
                page = self.url_open(f"/my/account/plan?{query}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(message, page.text)
        self.assertFalse(self.Plan.sudo().search([]))
        self.assertNotIn("777.00", self.url_open(f"/my/account/plan?invoice_ids={self.theirs.id}").text)
