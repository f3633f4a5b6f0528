from odoo import fields
from odoo.fields import Command

from .common import AgencyBillingCommon


class AgencyRecommendationCommon(AgencyBillingCommon):
    """Hand-made purchase histories for the service suggestion tests.

    Services: SEO, Content writing, Ads, Hosting (renews every 12 months) and Audit. The client
    under test is Acme Corp (``client_company``).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.agency_upsell_enabled = True
        cls.env.company.agency_upsell_min_clients = 5
        cls.env.company.agency_upsell_skip_overdue = True
        cls.env.company.agency_upsell_refreshed_at = False
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        Product = cls.env["product.product"]
        cls.seo, cls.content, cls.ads, cls.hosting, cls.audit = Product.create(
            [
                {"name": name, "type": "service", "list_price": price, "invoice_policy": "order", "taxes_id": []}
                for name, price in (
                    ("SEO", 900.0),
                    ("Content writing", 600.0),
                    ("Ads", 400.0),
                    ("Hosting", 300.0),
                    ("Audit", 2000.0),
                )
            ]
        )
        cls.hosting.agency_renewal_months = 12
        cls._client_seq = 0

    @classmethod
    def _make_clients(cls, count, prefix="Client"):
        clients = cls.env["res.partner"]
        for _i in range(count):
            cls._client_seq += 1
            clients |= clients.create({"name": f"{prefix} {cls._client_seq:03d}", "is_company": True})
        return clients

    @classmethod
    def _bill(cls, partners, lines, date=None, post=True, company=None):
        """One posted invoice per partner with ``lines``: [(product, amount)]."""
        company = company or cls.env.company
        moves = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": date or cls.today,
                        "company_id": company.id,
                        "invoice_line_ids": [
                            Command.create({"product_id": product.id, "price_unit": amount, "tax_ids": []})
                            for product, amount in lines
                        ],
                    }
                    for partner in partners
                ]
            )
        )
        if post:
            moves.action_post()
        return moves

    def _refresh(self):
        self.env["agency.recommendation.engine"]._refresh_full(self.env.company)

    def _suggested(self, partner=None, limit=3):
        partner = partner or self.client_company
        return [vals["product"] for vals in partner._agency_recommendations(limit=limit)]
