from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .bulk import clone_invoices
from .common import AgencyPortalCommon

PAGES = (
    "/my",
    "/my/account/billing",
    "/my/account/statement?date_from=2020-01-01&date_to=2026-11-22",
    "/my/account/statement/pdf?date_from=2020-01-01&date_to=2026-11-22",  # the stored PDF once rendered
    "/my/invoices",
    "/my/invoices?filterby=open",
    "/my/invoices/{invoice}",
    "/my/invoices/pay?invoice_ids={invoice}",
    "/my/account/receipt/{payment}",
)


@tagged("post_install", "-at_install")
class TestPortalQueryCounts(AgencyPortalCommon, HttpCase):
    """Each portal page costs as many SQL queries for a customer with 500 invoices and 250 payments as with 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22"):
            cls.invoice = cls._make_invoice(
                cls.portal_partner, "2026-09-01", [1200.0, 800.0], sections=["Website redesign", "Brand campaign"]
            )
            cls.paid = cls._make_invoice(cls.portal_partner, "2026-10-01", [100.0])
            # the invoice measured has a previous and a next one in the list (links Odoo adds)
            cls._make_invoice(cls.portal_partner, "2026-08-01", [50.0])
            cls.payment = cls._register_payment(cls.paid, payment_date="2026-10-05").move_id

    def _queries(self, url):
        """Queries of one load of ``url`` once the caches (views, rules, assets) are warm, as in
        production: the least of three loads (a cache refilled now and then adds one)."""
        self.url_open(url)
        counts = []
        for _attempt in range(3):
            before = self.env.cr.sql_log_count
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            counts.append(self.env.cr.sql_log_count - before)
        return min(counts)

    @freeze_time("2026-11-22")
    def test_queries_do_not_grow_with_invoices(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        self.url_open("/my/invoices")  # the list sets the previous/next links of the invoice page
        urls = [page.format(invoice=self.invoice.id, payment=self.payment.id) for page in PAGES]
        few = {url: self._queries(url) for url in urls}
        clone_invoices(self.invoice, 250)
        clone_invoices(self.paid, 250)
        clone_invoices(self.payment, 250)  # the account page lists the last payments
        many = {url: self._queries(url) for url in urls}
        for url in urls:
            self.assertLessEqual(
                many[url], few[url], f"{url}: {few[url]} queries with 1 invoice, {many[url]} with 500 and 250 payments"
            )
