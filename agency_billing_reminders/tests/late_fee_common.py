from odoo import Command, fields

from odoo.addons.agency_billing.tests.common import AgencyBillingCommon


class AgencyLateFeeCommon(AgencyBillingCommon):
    """A late-fee policy of each kind, an income account and a tax of their own, and a business client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee_account = cls.env["account.account"].create(
            {"name": "Late payment income", "code": "768100", "account_type": "income_other"}
        )
        cls.fee_tax_account = cls.company_data["default_account_tax_sale"]
        repartition = [
            Command.create({"repartition_type": "base"}),
            Command.create({"repartition_type": "tax", "account_id": cls.fee_tax_account.id}),
        ]
        cls.fee_tax = cls.env["account.tax"].create(
            {
                "name": "Fee tax 10%",
                "amount": 10.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "invoice_repartition_line_ids": repartition,
                "refund_repartition_line_ids": repartition,
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Late Payer Ltd",
                "is_company": True,
                "email": "accounts@latepayer.example.com",
                "agency_client_profile": "business",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )

    @classmethod
    def _policy(cls, **values):
        return cls.env["agency.late.fee.policy"].create(
            {
                "name": "Test policy",
                "currency_id": cls.env.company.currency_id.id,
                "account_id": cls.fee_account.id,
                "tax_ids": [Command.set(cls.fee_tax.ids)],
                **values,
            }
        )

    @classmethod
    def _overdue_invoice(cls, amount=1000.0, invoice_date="2026-05-01", partner=None):
        """An invoice of ``amount`` due 30 days after ``invoice_date`` (2026-05-31 by default)."""
        return cls.init_invoice(
            "out_invoice", partner=partner or cls.client, invoice_date=invoice_date, amounts=[amount], post=True
        )

    def _charge(self, invoice, policy, date):
        return invoice._agency_charge_late_fee(policy, fields.Date.to_date(date))

    def assertFeeLines(self, fee_move, expected):
        """``expected``: [(account, tax_ids, debit, credit)] of the fee invoice's journal items."""
        got = sorted((line.account_id, line.tax_ids, line.debit, line.credit) for line in fee_move.line_ids)
        self.assertEqual(got, sorted(expected))
