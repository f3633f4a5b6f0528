import re

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class AgencyBillingCommon(AccountTestInvoicingCommon):
    """Base class for the agency billing tests of the three addons.

    Gives a client company with two contacts (a brand and a department), an
    agency billing user, and helpers to make billing profiles.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.client_company = cls.env["res.partner"].create(
            {
                "name": "Acme Corp",
                "is_company": True,
                "email": "billing@acme.example.com",
                "agency_billing_policy": "retainer",
                "agency_billing_day": 5,
                "agency_client_code": "ACME",
                "agency_client_profile": "business",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.client_brand = cls.env["res.partner"].create(
            {"name": "Acme Rockets", "type": "invoice", "parent_id": cls.client_company.id}
        )
        cls.client_department = cls.env["res.partner"].create(
            {"name": "Wile E. Coyote", "parent_id": cls.client_company.id, "email": "wile@acme.example.com"}
        )
        cls.agency_user = cls.env["res.users"].create(
            {
                "name": "Ada Agency",
                "login": "ada.agency",
                "email": "ada@agency.example.com",
                "group_ids": [(6, 0, [cls.env.ref("agency_billing.group_agency_billing_user").id])],
                "company_id": cls.env.company.id,
                "company_ids": [(6, 0, cls.env.company.ids)],
            }
        )


class BillingRunCommon(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += (
            cls.env.ref("project.group_project_manager")
            + cls.env.ref("sales_team.group_sale_manager")
            + cls.env.ref("agency_billing.group_agency_billing_user")
        )
        Product = cls.env["product.product"]
        common = {"type": "service", "taxes_id": [(5, 0, 0)]}
        cls.hours = Product.create({**common, "name": "Design hour", "invoice_policy": "delivery", "list_price": 100})
        cls.fixed = Product.create({**common, "name": "Campaign", "invoice_policy": "order", "list_price": 1000})
        cls.retainer = Product.create(
            {**common, "name": "Retainer", "invoice_policy": "order", "list_price": 3000, "agency_is_retainer": True}
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Projects"})
        cls.project_brand, cls.project_web, cls.project_social = cls.env["project.project"].create(
            [
                {
                    "name": name,
                    "partner_id": cls.client_company.id,
                    "allow_billable": True,
                    "account_id": cls.env["account.analytic.account"].create({"name": name, "plan_id": plan.id}).id,
                }
                for name in ("Brand refresh", "Website", "Social media")
            ]
        )

    @classmethod
    def _order(cls, partner, project, lines, po="", confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "project_id": project.id if project else False,
                "client_order_ref": po,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty, "tax_ids": [(5, 0, 0)]})
                    for product, qty, _delivered in lines
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
            for line, (_product, _qty, delivered) in zip(order.order_line, lines, strict=True):
                if delivered:
                    line.qty_delivered = delivered
        return order

    def _two_clients_to_bill(self, other_hours=10):
        """Acme (10 hours) and Globex (``other_hours`` hours), both billed on time and materials."""
        self.client_company.agency_billing_policy = "time_materials"
        other = self.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "agency_billing_policy": "time_materials"}
        )
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        self._order(other, False, [(self.hours, other_hours, other_hours)])
        return other

    def _run(self, date="2026-11-05", partners=None, bill=True):
        run = self.env["agency.billing.run"].create(
            {"date": date, "partner_ids": [(6, 0, (partners or self.client_company).ids)]}
        )
        run.action_preview()
        if bill:
            run.action_bill()
        return run

    def _line(self, run, partner=None, **filters):
        lines = run.line_ids.filtered(lambda line: line.partner_id == (partner or self.client_company))
        for name, value in filters.items():
            lines = lines.filtered(lambda line, name=name, value=value: line[name] == value)
        return lines


def html_text(html):
    """Rendered HTML as plain text with collapsed spaces (what a reader sees)."""
    if isinstance(html, bytes):
        html = html.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&nbsp;", " ").replace("\xa0", " ").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


class AgencyInvoiceCommon(AgencyBillingCommon):
    """An agency (logo colours, bank account) and a client invoice with every element of the agency
    invoice: sections, out of scope, deposit, early-payment discount. Fixtures only: no test here, so that
    the report tests and the PDF tests each run theirs once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Pixel Agency",
                "vat": "BE0477472701",
                "email": "hello@pixel.example.com",
                "phone": "+32 2 555 01 01",
                "primary_color": "#123456",
                "qr_code": True,
            }
        )
        cls.report = cls.env.ref("agency_billing.action_report_agency_invoice")
        cls.eur = cls.setup_other_currency("EUR")
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "BE71 0961 2345 6769", "partner_id": cls.company.partner_id.id, "allow_out_payment": True}
        )
        cls.client_company.write(
            {
                "vat": "BE0403170701",
                "street": "1 Road Runner Way",
                "city": "Phoenix",
                "phone": "+1 555 0100",
                "ref": "CUST-77",
                "agency_invoice_message": "Thank you for a great year together!",
            }
        )
        cls.epd_term = cls.env["account.payment.term"].create(
            {
                "name": "30 days, 2% at 10 days",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        order = cls.env["sale.order"].sudo().create({"partner_id": cls.client_company.id})
        cls.deposit_sale_line = (
            cls.env["sale.order.line"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "name": "Deposit 30%",
                    "is_downpayment": True,
                    "product_uom_qty": 0,
                    "price_unit": 300.0,
                }
            )
        )

    def _agency_invoice(self, currency=None, post=True, **values):
        line = self._prepare_invoice_line
        invoice = self._create_invoice(
            partner_id=self.client_company.id,
            invoice_date="2026-11-05",
            currency_id=(currency or self.company.currency_id).id,
            ref="PO-4711",
            invoice_payment_term_id=self.epd_term.id,
            partner_bank_id=self.bank_account.id,
            invoice_line_ids=[
                Command.create({"display_type": "line_section", "name": "Website redesign"}),
                line(price_unit=1000.0, name="Design sprint", tax_ids=[]),
                line(price_unit=500.0, name="Front-end build", quantity=2, tax_ids=[]),
                Command.create({"display_type": "line_subsection", "name": "Out of scope"}),
                line(price_unit=250.0, name="Extra landing page", tax_ids=[]),
                Command.create({"display_type": "line_section", "name": "Brand book"}),
                line(price_unit=800.0, name="Logo variations", tax_ids=[]),
                Command.create({"display_type": "line_section", "name": "Down Payments"}),
                line(
                    price_unit=300.0,
                    quantity=-1,
                    name="Deposit 30%",
                    tax_ids=[],
                    sale_line_ids=[Command.set(self.deposit_sale_line.ids)],
                ),
            ],
            post=post,
            **values,
        )
        return invoice

    def _render(self, invoice):
        html, _ = self.env["ir.actions.report"]._render_qweb_html(self.report.report_name, invoice.ids)
        return html_text(html)
