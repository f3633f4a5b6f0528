"""Every portal route our addons add or override, walked as a customer of client A with the ids and
tokens of client B and of a client of another company: no access, no leak, no server error, nothing created."""

import json

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.agency_billing_portal.tests.common import AgencyPortalCommon

TODAY = "2026-11-22"
MISSING = object()  # a parameter left out
# what refuses a payment request: a clear message, never a server error
REFUSALS = ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError", "werkzeug.exceptions.BadRequest")
# amounts and names only client B and the other company's client have: never shown to A
SECRETS = ("7,777.77", "6,666.66", "Globex", "Initech", "Secret project")


@tagged("post_install", "-at_install")
class TestPortalSecuritySweep(AgencyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.mine = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.theirs = cls._make_invoice(
                cls.other_user.partner_id, "2026-10-01", [7000.0, 777.77], sections=["Secret project", "Other"]
            )
            cls.theirs_2 = cls._make_invoice(cls.other_user.partner_id, "2026-10-02", [50.0])
            company_2 = cls.setup_other_company(name="Initech Agency")["company"]
            cls.foreign_client = cls.env["res.partner"].create({"name": "Initech", "is_company": True})
            cls.foreign = (
                cls.env["account.move"]
                .with_company(company_2)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": cls.foreign_client.id,
                        "invoice_date": "2026-10-01",
                        "company_id": company_2.id,
                        "invoice_line_ids": [
                            (0, 0, {"name": "Work", "quantity": 1, "price_unit": 6666.66, "tax_ids": [(5,)]})
                        ],
                    }
                )
            )
            cls.foreign.action_post()
            # payments whose receipts A must not get: B's (of an invoice) and one in the other company
            paid = cls._make_invoice(cls.other_user.partner_id, "2026-10-03", [7777.77])
            cls.payments = cls._register_payment(paid, payment_date="2026-10-20").move_id | cls._customer_payment(
                cls.foreign_client, 6666.66, company=company_2
            )
        for invoice in cls.theirs | cls.theirs_2 | cls.foreign:
            invoice._portal_ensure_token()
        cls.project = (
            cls.env["project.project"].sudo().create({"name": "Secret project", "partner_id": cls.other_client.id})
        )

    def _counts(self):
        return (
            self.env["payment.transaction"].sudo().search_count([]),
            self.env["agency.reminder.hold"].sudo().search_count([]),
            self.env["sale.order"].sudo().search_count([]),
            self.env["agency.payment.plan"].sudo().search_count([]),
        )

    def _check(self, response, what):
        self.assertLess(response.status_code, 500, what)
        for secret in SECRETS:
            self.assertNotIn(secret, response.text, what)

    def _jsonrpc(self, url, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        return self.url_open(url, data=json.dumps(payload), headers={"Content-Type": "application/json"})

    @freeze_time(TODAY)
    def test_sweep(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        before = self._counts()
        others = self.theirs | self.foreign
        tokens = {
            "wrong": "not-a-token",
            "missing": "",
            "other invoice's": self.theirs_2.access_token,
        }
        # GET pages and downloads
        urls = [
            "/my",
            "/my/account/billing",
            "/my/account/statement?date_from=2000-01-01&date_to=2030-12-31",
            "/my/account/statement/pdf?date_from=2000-01-01&date_to=2030-12-31",
            "/my/account/statement/xlsx?date_from=2000-01-01&date_to=2030-12-31",
            "/my/account/statement/csv",
            f"/my/invoices?project={self.project.id}",
            "/my/invoices?filterby=disputed",
        ]
        for invoice in others:
            for label, token in tokens.items():
                for query in ("", "&report_type=html", "&report_type=pdf", "&report_type=pdf&download=true"):
                    urls.append(f"/my/invoices/{invoice.id}?access_token={token}{query}#{label}")
            urls.append(f"/my/invoices/pay?invoice_ids={invoice.id}")
            urls.append(f"/my/invoices/pay?invoice_ids={self.mine.id}&invoice_ids={invoice.id}")
            urls.append(f"/my/invoices/pay?invoice_ids={self.mine.id},{invoice.id}")
            urls.append(f"/my/account/plan?invoice_ids={invoice.id}&months=3")
            urls.append(f"/my/account/plan?invoice_ids={self.mine.id},{invoice.id}&months=3&first_amount=10")
        for payment in self.payments:
            urls.append(f"/my/account/receipt/{payment.id}")
        for url in urls:
            self._check(self.url_open(url), url)
        # the project filter of another client shows none of A's nor B's invoices
        page = self.url_open(f"/my/invoices?project={self.project.id}").text
        self.assertNotIn(self.theirs.name + "<", page)
        # JSON: payment transactions for another client's invoices
        for ids in (str(self.theirs.id), f"{self.mine.id},{self.theirs.id}", str(self.foreign.id), "abc", "0"):
            response = self._jsonrpc(
                f"/my/invoices/pay/transaction/{ids}",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.provider.payment_method_ids[:1].id,
                    "token_id": None,
                    "amount": 10.0,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/my",
                    "is_validation": False,
                    "access_token": None,
                },
            )
            self._check(response, ids)
            self.assertIn("error", response.json(), ids)
        # POST forms: talk back on another client's invoice, a quote for a product not suggested
        csrf = http.Request.csrf_token(self)
        for invoice in others:
            for kind, data in (
                ("paid", {"reference": "X"}),
                ("promise", {"date": "2026-12-30"}),
                ("dispute", {"reason": "No", "section_line_id": invoice.invoice_line_ids[:1].id}),
            ):
                for label, token in tokens.items():
                    response = self.url_open(
                        f"/my/invoices/{invoice.id}/talk/{kind}",
                        data={"csrf_token": csrf, "access_token": token, **data},
                    )
                    self._check(response, (invoice.name, kind, label))
        # a payment plan of another client's invoices, alone or with A's own
        for invoice in others:
            for ids in (str(invoice.id), f"{self.mine.id},{invoice.id}"):
                response = self.url_open(
                    "/my/account/plan", data={"csrf_token": csrf, "invoice_ids": ids, "months": "3"}
                )
                self._check(response, ("plan", ids))
        # a section of B's invoice used on A's own invoice
        response = self.url_open(
            f"/my/invoices/{self.mine.id}/talk/dispute",
            data={"csrf_token": csrf, "reason": "No", "section_line_id": self.theirs.invoice_line_ids[0].id},
        )
        self._check(response, "foreign section")
        product = self.env["product.product"].create({"name": "Not suggested", "type": "service"})
        for product_id in (product.id, 0, "abc", 999999999):
            self._check(
                self.url_open("/my/account/quote", data={"csrf_token": csrf, "product_id": product_id}), product_id
            )
        self.assertEqual(self._counts(), before, "no transaction, hold, quotation or payment plan created")
        self.assertNotEqual(self.theirs.payment_state, "blocked")

    def _transaction_params(self, **overrides):
        params = {
            "provider_id": self.provider.id,
            "payment_method_id": self.provider.payment_method_ids[:1].id,
            "token_id": None,
            "amount": 10.0,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my",
            "is_validation": False,
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not MISSING}

    def _amount_routes(self):
        """Every route that takes an amount: Odoo's own (as we extend them) and ours, as the payment form calls them."""
        self.mine._portal_ensure_token()
        return {
            "one invoice": (f"/invoice/transaction/{self.mine.id}", {"access_token": self.mine.access_token}),
            "a selection": (f"/my/invoices/pay/transaction/{self.mine.id}", {"access_token": None}),
            "all overdue": ("/invoice/transaction/overdue", {"payment_reference": "OVERDUE"}),
        }

    def _assert_refused(self, response, what):
        self._check(response, what)
        answer = response.json()
        self.assertIn("error", answer, what)
        data = answer["error"]["data"]
        self.assertIn(data["name"], REFUSALS, (what, data["message"]))
        self.assertTrue(data["message"] and "Traceback" not in data["message"], what)
        return data["message"]

    @freeze_time(TODAY)
    def test_bad_amounts(self):
        """The issue's list of bad amounts, on every route that takes one: each refused with a message, nothing
        created. ``mine`` (1,000.00) is overdue, alone: each route pays it."""
        self.authenticate(self.portal_user.login, self.portal_user.login)
        before = self._counts()
        bad = {
            "empty": "",
            "space": " ",
            "null": None,
            "missing": MISSING,
            "-1": "-1",
            "-1 (number)": -1,
            "0": "0",
            "0 (number)": 0,
            "abc": "abc",
            "1,5": "1,5",
            "1e309": "1e309",
            "1e309 (number)": float("inf"),
            "NaN": "NaN",
            "NaN (number)": float("nan"),
            "Infinity": "Infinity",
            "more than owed": "1000.01",
            "more than owed (number)": 1e308,
            "another currency": "10 EUR",
            "a list": [10],
            "true": True,
        }
        for route, (url, extra) in self._amount_routes().items():
            for label, amount in bad.items():
                what = (route, label)
                response = self._jsonrpc(url, {**extra, **self._transaction_params(amount=amount)})
                message = self._assert_refused(response, what)
                self.assertNotIn("could not convert", message, what)
            # the amount in another currency than the invoice's
            other = self.env.ref("base.EUR" if self.env.company.currency_id.name != "EUR" else "base.USD")
            response = self._jsonrpc(url, {**extra, **self._transaction_params(), "currency_id": other.id})
            self._assert_refused(response, (route, "currency_id"))
        # the page to pay a selection, with the amount typed in
        for label, amount in bad.items():
            if amount is MISSING or amount is None or not isinstance(amount, str):
                continue
            response = self.url_open(f"/my/invoices/pay?invoice_ids={self.mine.id}&amount={amount}")
            self._check(response, label)
            self.assertEqual(response.status_code, 400, label)
            self.assertIn("agency_error", response.text, label)
            self.assertIn(self.mine.name, response.text, (label, "the selection stays"))
        self.assertEqual(self._counts(), before)
        # and each route does pay with a good amount, also as the page shows it
        for route, (url, extra) in self._amount_routes().items():
            for amount in (1000.0, "1,000.00"):
                response = self._jsonrpc(url, {**extra, **self._transaction_params(amount=amount)})
                self.assertNotIn("error", response.json(), (route, amount))
        self.assertEqual(self._counts()[0], before[0] + 6)

    @freeze_time(TODAY)
    def test_provider_and_method_of_the_invoices_company(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        before = self._counts()
        company_2 = self.foreign.company_id
        foreign_provider = self._agency_demo_provider(company_2)
        self.assertEqual(foreign_provider.company_id, company_2)
        disabled = self.provider.copy({"state": "disabled", "name": "Disabled"})
        cases = {
            "another company's provider": {
                "provider_id": foreign_provider.id,
                "payment_method_id": foreign_provider.payment_method_ids[:1].id,
            },
            "a disabled provider": {"provider_id": disabled.id},
            "no provider": {"provider_id": None},
            "a provider that does not exist": {"provider_id": 999999999},
            "a method of no provider": {"payment_method_id": 999999999},
            "a validation": {"is_validation": True},
            "another client's card": {"flow": "token", "token_id": self._other_token().id},
        }
        for route, (url, extra) in self._amount_routes().items():
            for label, overrides in cases.items():
                response = self._jsonrpc(url, {**extra, **self._transaction_params(**overrides)})
                self._assert_refused(response, (route, label))
        self.assertEqual(self._counts(), before)
        # the transaction itself refuses a provider of another company than its invoices'
        with self.assertRaises(ValidationError):
            self.env["payment.transaction"].sudo().create(
                {
                    "provider_id": foreign_provider.id,
                    "payment_method_id": foreign_provider.payment_method_ids[:1].id,
                    "amount": 10.0,
                    "currency_id": self.mine.currency_id.id,
                    "partner_id": self.portal_partner.id,
                    "invoice_ids": [(6, 0, self.mine.ids)],
                }
            )

    def _other_token(self):
        return (
            self.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.provider.payment_method_ids[:1].id,
                    "partner_id": self.other_user.partner_id.id,
                    "provider_ref": "GLOBEX-CARD",
                    "payment_details": "4242",
                }
            )
        )
