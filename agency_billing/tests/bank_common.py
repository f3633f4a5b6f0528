import base64
from datetime import timedelta

from odoo import Command, fields

from .camt import camt053
from .common import AgencyBillingCommon

AGENCY_IBAN = "DE89370400440532013000"
ACME_IBAN = "GB82WEST12345698765432"
OTHER_IBAN = "NL91ABNA0417164300"


class BankMatchingCommon(AgencyBillingCommon):
    """A bank journal with its IBAN, clients with open invoices, and helpers to import CAMT files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company._agency_use_client_coded_numbers()
        cls.bank_journal = cls._bank_journal(cls.company, AGENCY_IBAN)
        cls.env["res.partner.bank"].create({"partner_id": cls.client_company.id, "acc_number": ACME_IBAN})
        cls.globex = cls.env["res.partner"].create(
            {"name": "Globex Industries", "is_company": True, "agency_client_code": "GLOBEX"}
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])

    @classmethod
    def _bank_journal(cls, company, iban):
        journal = cls.env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        bank = cls.env["res.partner.bank"].create(
            {"partner_id": company.partner_id.id, "acc_number": iban, "company_id": company.id}
        )
        journal.bank_account_id = bank
        return journal

    @classmethod
    def _invoices(cls, partner, amounts, days_overdue=(), currency=None, company=None):
        """Posted invoices of ``partner``, one per amount, the first the oldest due."""
        company = company or cls.env.company
        today = fields.Date.context_today(cls.env["res.partner"])
        moves = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=40),
                        "invoice_payment_term_id": False,
                        "invoice_date_due": today - timedelta(days=(days_overdue[i] if days_overdue else 30 - i)),
                        "currency_id": (currency or company.currency_id).id,
                        "invoice_line_ids": [
                            Command.create({"name": "Agency work", "quantity": 1, "price_unit": amount, "tax_ids": []})
                        ],
                    }
                    for i, amount in enumerate(amounts)
                ]
            )
        )
        moves.action_post()
        return moves

    def _import(self, data, journal=None, filename="statement.xml"):
        journal = journal or self.bank_journal
        wizard = (
            self.env["account.statement.import"]
            .with_company(journal.company_id)
            .with_context(journal_id=journal.id)
            .create({"statement_file": base64.b64encode(data), "statement_filename": filename})
        )
        wizard.import_file_button()
        return self.env["account.bank.statement"].search([("journal_id", "=", journal.id)], order="id desc", limit=1)

    def _statement(self, transactions, statement_id="STMT-1", iban=AGENCY_IBAN, currency=None):
        currency = currency or self.company.currency_id.name
        return camt053(iban, transactions, currency=currency, statement_id=statement_id, day=self.today)

    def _other_currency(self):
        return self.setup_other_currency("EUR" if self.company.currency_id.name != "EUR" else "CHF")
