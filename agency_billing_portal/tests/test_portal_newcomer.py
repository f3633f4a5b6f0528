import re

from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalNewcomer(AgencyPortalCommon, HttpCase):
    """What a customer reads on the portal: a stable payment reference, a confirmation after paying, one
    talk-back form at a time, one message after talking back, and only the buttons and filters that apply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22"):
            cls.invoice_a = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.invoice_b = cls._make_invoice(cls.portal_partner, "2026-11-10", [250.0])

    def setUp(self):
        super().setUp()
        self.authenticate(self.portal_user.login, self.portal_user.login)

    def _pay_page(self, invoices):
        return self.url_open("/my/invoices/pay?" + "&".join(f"invoice_ids={invoice.id}" for invoice in invoices))

    def _transaction(self, invoices, amount=None):
        if amount is None:  # what the payment form sends by default: all that settles the selection today
            amount = sum(invoice._agency_amount_due_now() for invoice in invoices)
        response = self._selection_transaction(invoices, amount)
        self.assertNotIn("error", response, response)
        return self.env["payment.transaction"].search([("reference", "=", response["result"]["reference"])])

    @freeze_time("2026-11-22")
    def test_the_reference_of_a_selection_is_stable_and_readable(self):
        invoices = self.invoice_a | self.invoice_b
        references = set()
        for _load in range(3):
            page = self._pay_page(invoices).text
            references.add(re.search(r'id="o_payment_summary_reference"[^>]*>\s*([^<]*?)\s*<', page)[1])
        self.assertEqual(references, {f"{self.invoice_a.name}, {self.invoice_b.name}"}, "the same on every load")
        tx = self._transaction(invoices)
        self.assertEqual(tx.reference, f"{self.invoice_a.name}, {self.invoice_b.name}")

    @freeze_time("2026-11-22")
    def test_paying_a_selection_lands_on_the_payment_confirmation(self):
        tx = self._transaction(self.invoice_a | self.invoice_b)
        self.assertTrue(tx.landing_route.startswith(f"/payment/confirmation?tx_id={tx.id}&access_token="))
        tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        page = self.url_open(tx.landing_route)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Thank you!", page.text)
        self.assertIn("Your payment has been processed.", page.text)
        self.assertIn(tx.reference, page.text)

    @freeze_time("2026-11-22")
    def test_talk_back_forms_open_one_at_a_time(self):
        page = self.url_open(self.invoice_a.get_portal_url()).text
        forms = re.findall(r'<form[^>]*class="[^"]*agency_talk_back_form[^"]*"[^>]*>', page)
        self.assertEqual(len(forms), 3)
        for form in forms:
            self.assertIn('data-bs-parent="#agency_talk_back_forms"', form)
        self.assertIn('id="agency_talk_back_forms"', page)

    @freeze_time("2026-11-22")
    def test_i_have_paid_says_one_thing(self):
        # an earlier online payment of part of the invoice: Odoo's page says it was processed
        tx = self._transaction(self.invoice_a, amount=100.0)
        tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        self.assertEqual(self.invoice_a.payment_state, "partial")
        self.assertIn("Your payment has been processed.", self.url_open(self.invoice_a.get_portal_url()).text)
        response = self.url_open(
            f"/my/invoices/{self.invoice_a.id}/talk/paid",
            data={"csrf_token": http.Request.csrf_token(self), "reference": "BANK-7"},
        )
        self.assertIn("the agency will match your payment", response.text)
        self.assertNotIn("Your payment has been processed.", response.text, "not beside our thank-you")

    @freeze_time("2026-11-22")
    def test_no_i_have_paid_while_an_online_payment_is_on_its_way(self):
        tx = self._transaction(self.invoice_b)
        tx._set_pending()
        page = self.url_open(self.invoice_b.get_portal_url()).text
        self.assertNotIn("agency_open_paid", page)
        self.assertIn("agency_open_promise", page)
        self.assertIn("agency_open_paid", self.url_open(self.invoice_a.get_portal_url()).text)

    @freeze_time("2026-11-22")
    def test_pay_selected_only_with_something_to_pay(self):
        self.assertIn("agency_pay_selected", self.url_open("/my/invoices?filterby=open").text)
        self.assertNotIn("agency_pay_selected", self.url_open("/my/invoices?filterby=paid").text)

    @freeze_time("2026-11-22")
    def test_bills_filter_only_for_who_has_vendor_bills(self):
        self.assertNotIn("filterby=bills", self.url_open("/my/invoices").text)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.portal_partner.id,
                "invoice_date": "2026-11-01",
                "invoice_line_ids": [(0, 0, {"name": "Printing", "quantity": 1, "price_unit": 50.0})],
            }
        )
        bill.action_post()
        self.assertIn("filterby=bills", self.url_open("/my/invoices").text)

    @freeze_time("2026-11-22")
    def test_project_filter_finds_an_invoice_booked_on_the_projects_analytic_account(self):
        Project = self.env["project.project"].sudo()
        project = Project.create({"name": "Acme - Website", "partner_id": self.client_company.id})
        project._create_analytic_account()
        invoice = self._make_invoice(self.portal_partner, "2026-11-01", [500.0], sections=["Website"], post=False)
        invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product").analytic_distribution = {
            str(project.account_id.id): 100
        }
        invoice.action_post()
        self.assertEqual(invoice.agency_project_ids, project)
        page = self.url_open(f"/my/invoices?project={project.id}").text
        self.assertIn(f'<option value="{project.id}"', page, "offered in the filter")
        self.assertIn(invoice.name, page)
        self.assertNotIn(self.invoice_a.name, page)

    @freeze_time("2026-11-22")
    def test_invoice_page_in_the_customers_language_odoo_s_parts_too(self):
        # the language installed as Odoo installs it: the terms of every module of the page
        self.env["res.lang"]._activate_lang("ko_KR")
        modules = ["portal", "payment", "account", "account_payment", "agency_billing_portal"]
        self.env["ir.module.module"]._load_module_terms(modules, ["ko_KR"], overwrite=True)
        self.portal_partner.lang = "ko_KR"
        self.authenticate(self.portal_user.login, self.portal_user.login)  # a session in the customer's language
        page = self.url_open(self.invoice_a.get_portal_url()).text
        # "Anything to tell us about this invoice?"
        self.assertIn("이 청구서에 대해 알려 주실 내용이 있나요?", page, "ours")
        self.assertIn("다운로드", page, "Odoo's sidebar")  # Download
        self.assertNotIn(">Download<", page)
