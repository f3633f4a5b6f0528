import json

from odoo.fields import Command

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


class AgencyPortalCommon(AgencyBillingCommon):
    """Two clients with a portal user each, a client of another company, and the demo payment
    provider enabled: the ground of the portal tests of this addon and of the root sweeps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", True)
        cls.portal_user = cls._create_new_portal_user(login="acme.portal")
        cls.portal_user.partner_id.write({"parent_id": cls.client_company.id, "name": "Paula Portal"})
        cls.portal_partner = cls.portal_user.partner_id
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_client_code": "GLOBEX"}
        )
        cls.other_user = cls._create_new_portal_user(login="globex.portal")
        cls.other_user.partner_id.parent_id = cls.other_client
        cls.provider = cls._agency_demo_provider()

    @classmethod
    def _agency_demo_provider(cls, company=None):
        company = company or cls.env.company
        provider = (
            cls.env["payment.provider"].sudo().search([("code", "=", "demo"), ("company_id", "=", company.id)], limit=1)
        )
        provider.write({"state": "test", "is_published": True})
        other = (
            cls.env["payment.provider"]
            .sudo()
            .search([("company_id", "=", company.id), ("id", "!=", provider.id), ("state", "!=", "disabled")])
        )
        other.write({"state": "disabled"})
        return provider

    @classmethod
    def _make_invoice(cls, partner, date, amounts, *, currency=None, sections=None, post=True, term=None):
        """An invoice with one line per amount; ``sections`` (names, as many as amounts) puts each
        line under its own project section, as the billing run does for consolidated invoices."""
        lines = []
        for index, amount in enumerate(amounts):
            if sections:
                lines.append(Command.create({"display_type": "line_section", "name": sections[index]}))
            lines.append(
                Command.create(
                    {
                        "name": f"Creative work {index + 1}",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "date": date,
                "currency_id": (currency or cls.env.company.currency_id).id,
                "invoice_line_ids": lines,
                **({"invoice_payment_term_id": term.id} if term else {}),
            }
        )
        if post:
            invoice.action_post()
        return invoice

    @classmethod
    def _customer_payment(cls, partner, amount, company=None, payment_type="inbound", date="2026-11-10"):
        """A posted payment received from (or, outbound, paid back to) a customer, matched with no invoice;
        returns its journal entry."""
        payment = (
            cls.env["account.payment"]
            .with_company(company or cls.env.company)
            .create(
                {
                    "payment_type": payment_type,
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": amount,
                    "date": date,
                }
            )
        )
        payment.action_post()
        return payment.move_id

    def _selection_transaction(self, invoices, amount):
        """Call the selection's transaction route as the payment form does (an HttpCase, logged in); the
        JSON-RPC answer."""
        ids = ",".join(str(invoice.id) for invoice in invoices)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/my/invoices",
                "is_validation": False,
                "access_token": None,
            },
        }
        response = self.url_open(
            f"/my/invoices/pay/transaction/{ids}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()
