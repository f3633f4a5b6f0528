import base64
import io
import re

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AgencyBillingCommon


def _text(html):
    text = re.sub(r"<[^>]+>", " ", html.decode() if isinstance(html, bytes) else html)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " ").replace("\xa0", " "))


@tagged("post_install", "-at_install")
class TestCustomerStatement(AgencyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.Statement = cls.env["agency.customer.statement"]

        def invoice(date, amount, *, currency=None, move_type="out_invoice", partner=None, due=None):
            return cls._create_invoice(
                move_type=move_type,
                partner_id=(partner or cls.client_company).id,
                invoice_date=date,
                invoice_date_due=due,
                invoice_payment_term_id=False if due else cls.env.ref("account.account_payment_term_30days").id,
                currency_id=(currency or cls.env.company.currency_id).id,
                invoice_line_ids=[cls._prepare_invoice_line(price_unit=amount, tax_ids=[])],
                post=True,
            )

        # before the period: 1000 invoiced, 400 paid -> opening balance 600
        cls.old = invoice("2026-06-01", 1000.0, due="2026-07-01")
        cls._register_payment(cls.old, amount=400.0, payment_date="2026-06-15")
        # in the period (September-November 2026), billed to a contact of the client
        cls.inv_sep = invoice("2026-09-10", 500.0, partner=cls.client_brand, due="2026-10-10")
        cls.refund = invoice("2026-09-20", 100.0, move_type="out_refund", due="2026-09-20")
        cls.inv_nov = invoice("2026-11-20", 300.0, due="2026-12-20")
        cls._register_payment(cls.inv_sep, amount=200.0, payment_date="2026-10-01")
        # after the period: not on the statement, and its payment does not reduce the open items at the end
        cls._register_payment(cls.inv_nov, amount=300.0, payment_date="2026-12-05")
        # another currency
        cls.inv_eur = invoice("2026-10-01", 250.0, currency=cls.eur, due="2026-10-31")
        # another client: never on Acme's statement
        invoice("2026-10-01", 999.0, partner=cls.partner_a)

    def _data(self):
        return self.client_department._agency_statement_data("2026-09-01", "2026-11-30")

    def test_opening_running_closing_balance(self):
        data = self._data()
        self.assertEqual(data["partner"], self.client_company)
        usd, eur = data["currencies"]
        self.assertEqual(usd["currency"], self.env.company.currency_id)
        self.assertEqual(eur["currency"], self.eur)
        self.assertAlmostEqual(usd["opening_balance"], 600.0)
        self.assertEqual([line["kind"] for line in usd["lines"]], ["invoice", "credit_note", "payment", "invoice"])
        self.assertEqual([line["balance"] for line in usd["lines"]], [1100.0, 1000.0, 800.0, 1100.0])
        self.assertEqual(usd["lines"][1]["credit"], 100.0)
        self.assertEqual(usd["lines"][2]["credit"], 200.0)
        self.assertAlmostEqual(usd["closing_balance"], 1100.0)
        self.assertNotIn(999.0, [line["debit"] for line in usd["lines"]])
        # the euro account apart, in euros
        self.assertEqual(eur["opening_balance"], 0.0)
        self.assertEqual([line["debit"] for line in eur["lines"]], [250.0])
        self.assertEqual(eur["closing_balance"], 250.0)

    def test_open_items_and_ageing(self):
        usd, eur = self._data()["currencies"]
        open_items = {item["number"]: item for item in usd["open_items"]}
        self.assertEqual(set(open_items), {self.old.name, self.inv_sep.name, self.refund.name, self.inv_nov.name})
        # the payment of December does not count at the end of November
        self.assertEqual(open_items[self.inv_nov.name]["residual"], 300.0)
        self.assertEqual(open_items[self.inv_nov.name]["bucket"], "current")
        self.assertEqual(open_items[self.inv_sep.name]["residual"], 300.0)
        self.assertEqual(open_items[self.inv_sep.name]["days_late"], 51)
        self.assertEqual(open_items[self.inv_sep.name]["bucket"], "31_60")
        self.assertEqual(open_items[self.old.name]["bucket"], "90_plus")
        self.assertEqual(open_items[self.refund.name]["bucket"], "61_90")
        self.assertEqual(
            usd["ageing"],
            {"current": 300.0, "1_30": 0.0, "31_60": 300.0, "61_90": -100.0, "90_plus": 600.0, "total": 1100.0},
        )
        self.assertEqual(usd["ageing"]["total"], usd["closing_balance"])
        self.assertEqual(eur["ageing"]["1_30"], 250.0)
        self.assertEqual(self.Statement._ageing_bucket(30), "1_30")
        self.assertEqual(self.Statement._ageing_bucket(31), "31_60")
        self.assertEqual(self.Statement._ageing_bucket(90), "61_90")
        self.assertEqual(self.Statement._ageing_bucket(91), "90_plus")

    def test_bad_period(self):
        with self.assertRaisesRegex(UserError, "start before it ends"):
            self.client_company._agency_statement_data("2026-11-30", "2026-09-01")

    def test_pdf_report_html(self):
        report = self.env.ref("agency_billing.action_report_customer_statement")
        html, _ = report._render_qweb_html(
            report.report_name,
            self.client_company.ids,
            data={"date_from": "2026-09-01", "date_to": "2026-11-30"},
        )
        text = _text(html)
        self.assertIn("Statement of account", text)
        self.assertIn("Acme Corp", text)
        self.assertRegex(text, r"Opening balance \$? ?600\.00")
        self.assertRegex(text, r"Closing balance \$? ?1,100\.00")
        for number in (self.inv_sep.name, self.refund.name, self.inv_nov.name):
            self.assertIn(number, text)
        self.assertIn("Credit note", text)
        self.assertIn("Payment", text)
        for label in ("Not due", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"):
            self.assertIn(label, text)
        self.assertIn("Account in USD", text)
        self.assertIn("Account in EUR", text)
        self.assertRegex(text, r"Balance due: (€ ?)?250\.00")

    def test_wizard_xlsx_and_pdf(self):
        wizard = (
            self.env["agency.customer.statement.wizard"]
            .with_user(self.agency_user)
            .with_context(active_model="res.partner", active_id=self.client_brand.id)
            .create({"date_from": "2026-09-01", "date_to": "2026-11-30"})
        )
        self.assertEqual(wizard.partner_id, self.client_company)
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"], "agency_billing.report_customer_statement")
        self.assertEqual(action["data"]["date_to"], "2026-11-30")
        action = wizard.action_export_xlsx()
        attachment_id = int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        attachment = self.env["ir.attachment"].browse(attachment_id)
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(workbook.sheetnames, ["USD", "EUR"])
        rows = [row for row in workbook["USD"].iter_rows(values_only=True) if any(row)]
        labels = [row[1] for row in rows]
        self.assertEqual(rows[2][:8], ("Date", "Number", "Type", "Reference", "Due date", "Debit", "Credit", "Balance"))
        opening = rows[labels.index("Opening balance")]
        self.assertEqual(opening[7], 600.0)
        period = rows[labels.index("Opening balance") + 1 : labels.index("Closing balance")]
        self.assertEqual([row[7] for row in period], [1100.0, 1000.0, 800.0, 1100.0])
        self.assertEqual([row[2] for row in period], ["Invoice", "Credit note", "Payment", "Invoice"])
        self.assertEqual(rows[labels.index("Closing balance")][7], 1100.0)
        ageing_header = next(i for i, row in enumerate(rows) if row[0] == "Not due")
        self.assertEqual(rows[ageing_header + 1][:6], (300.0, 0.0, 300.0, -100.0, 600.0, 1100.0))
        self.assertEqual(
            next(row for row in workbook["EUR"].iter_rows(values_only=True) if row[1] == "Closing balance")[7], 250.0
        )

    def test_no_entries(self):
        partner = self.env["res.partner"].create({"name": "Quiet Client", "is_company": True})
        data = partner._agency_statement_data("2026-09-01", "2026-11-30")
        self.assertEqual(data["currencies"], [])
        content = self.Statement._get_statement_xlsx(partner, "2026-09-01", "2026-11-30")
        self.assertEqual(openpyxl.load_workbook(io.BytesIO(content)).sheetnames, ["Statement"])
