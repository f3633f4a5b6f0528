from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPaySelection(AgencyPortalCommon, HttpCase):
    """A customer pays any selection of its open invoices, or a part, in one payment transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22"):
            cls.invoice_a = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.invoice_b = cls._make_invoice(cls.portal_partner, "2026-11-10", [250.0])
            cls.invoice_c = cls._make_invoice(cls.portal_partner, "2026-11-15", [400.0])
            cls.other_invoice = cls._make_invoice(cls.other_user.partner_id, "2026-10-01", [777.0])

    def _transaction(self, invoices, amount):
        return self._selection_transaction(invoices, amount)

    def _pay(self, invoices, amount):
        result = self._transaction(invoices, amount)
        self.assertNotIn("error", result, result)
        tx = self.env["payment.transaction"].search([("reference", "=", result["result"]["reference"])])
        tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        return tx

    @freeze_time("2026-11-22")
    def test_pay_page_lists_the_selection_and_its_total(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&invoice_ids={self.invoice_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice_a.name, page.text)
        self.assertIn("1,250.00", page.text)
        self.assertIn("o_payment_form", page.text)
        self.assertIn(f"/my/invoices/pay/transaction/{self.invoice_a.id},{self.invoice_b.id}", page.text)

    @freeze_time("2026-11-22")
    def test_selection_paid_in_one_transaction(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        tx = self._pay(self.invoice_a | self.invoice_b, 1250.0)
        self.assertEqual(tx.invoice_ids, self.invoice_a | self.invoice_b)
        self.assertEqual(tx.amount, 1250.0)
        self.assertEqual(len(tx.payment_id), 1)
        for invoice in self.invoice_a | self.invoice_b:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
        self.assertEqual(self.invoice_c.payment_state, "not_paid")

    @freeze_time("2026-11-22")
    def test_partial_amount_settles_the_oldest_first(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&amount=300.50")
        self.assertEqual(page.status_code, 200)
        self.assertIn("agency_partial", page.text)
        self._pay(self.invoice_a, 300.5)
        self.assertAlmostEqual(self.invoice_a.amount_residual, 699.5)
        self.assertEqual(self.invoice_a.payment_state, "partial")

    @freeze_time("2026-11-22")
    def test_bad_amounts_create_nothing(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        Tx = self.env["payment.transaction"]
        before = Tx.search_count([])
        for amount in ("-5", "0", "1000.01", "abc", "1,5", "1e309", "12.345", "nan", "inf"):
            page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&amount={amount}")
            self.assertEqual(page.status_code, 400, amount)
            self.assertIn("agency_error", page.text, amount)
            self.assertNotIn("o_payment_form", page.text, amount)
        for amount in (-5, 0, 1000.01, "abc", "1,5", 1e308):
            result = self._transaction(self.invoice_a, amount)
            self.assertIn("error", result, amount)
        self.assertEqual(Tx.search_count([]), before)

    @freeze_time("2026-11-22")
    def test_another_clients_invoice_is_refused(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        before = self.env["payment.transaction"].search_count([])
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&invoice_ids={self.other_invoice.id}")
        self.assertEqual(page.status_code, 400)
        self.assertNotIn("777.00", page.text)
        self.assertNotIn(self.other_invoice.name, page.text)
        result = self._transaction(self.invoice_a | self.other_invoice, 1777.0)
        self.assertIn("error", result)
        self.assertEqual(self.env["payment.transaction"].search_count([]), before)

    @freeze_time("2026-11-22")
    def test_two_currencies_are_never_mixed(self):
        usd = self.setup_other_currency("USD", rounding=0.01) if self.env.company.currency_id.name != "USD" else None
        currency = usd or self.setup_other_currency("EUR", rounding=0.01)
        foreign = self._make_invoice(self.portal_partner, "2026-11-01", [90.0], currency=currency)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&invoice_ids={foreign.id}")
        self.assertEqual(page.status_code, 400)
        self.assertIn("different currencies", page.text)
        result = self._transaction(self.invoice_a | foreign, 1090.0)
        self.assertIn("different currencies", result["error"]["data"]["message"])

    @freeze_time("2026-11-22")
    def test_early_payment_discount_shown_and_applied_to_a_selection(self):
        term = self.env.ref("account.account_payment_term_30days_early_discount")
        first = self._make_invoice(self.portal_partner, "2026-11-20", [1000.0], term=term)
        second = self._make_invoice(self.portal_partner, "2026-11-21", [500.0], term=term)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/{first.id}").text
        self.assertIn("agency_epd", page)
        self.assertIn("980.00", page)  # 2 % off
        self.assertIn("11/27/2026", page)  # the deadline: 7 days after the invoice date
        pay_page = self.url_open(f"/my/invoices/pay?invoice_ids={first.id}&invoice_ids={second.id}").text
        self.assertIn("1,470.00", pay_page)
        self._pay(first | second, 1470.0)
        for invoice in first | second:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)

    @freeze_time("2026-11-22")
    def test_bad_amount_told_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["agency_billing_portal"], ["fr_FR"], overwrite=True)
        self.portal_user.lang = "fr_FR"
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&amount=abc").text
        self.assertIn("n'est pas un montant", page.replace("&#39;", "'"))
        # "1,5" is an amount in French: one euro fifty
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&amount=1,5")
        self.assertEqual(page.status_code, 200)
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.invoice_a.id}&amount=0").text
        self.assertIn("doit être supérieur à zéro", page)
