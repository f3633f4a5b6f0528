from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.account.tools.structured_reference import (
    format_structured_reference_iso,
    is_valid_structured_reference_iso,
)
from odoo.addons.agency_billing.models.agency_bank_matcher import structured_references

from .bank_common import ACME_IBAN, AGENCY_IBAN, OTHER_IBAN, BankMatchingCommon
from .camt import camt053, camt054, validate_camt053


def wrong_check_digits(reference):
    """``RF18 1234 5`` → ``RF19 1234 5``: the same reference with check digits that do not fit."""
    compact = reference.replace(" ", "")
    digits = (int(compact[2:4]) + 1) % 100
    return f"RF{digits:02d}{compact[4:]}"


@tagged("post_install", "-at_install")
class TestBankMatching(BankMatchingCommon):
    # ------------------------------------------------------------------ the reference on the invoice

    def test_every_agency_invoice_carries_a_valid_rf_reference_with_client_coded_numbers(self):
        invoice = self._invoices(self.client_company, [100.0])
        self.assertTrue(invoice.name.startswith("ACME-"), invoice.name)
        self.assertTrue(invoice.payment_reference.startswith("RF"), invoice.payment_reference)
        self.assertTrue(is_valid_structured_reference_iso(invoice.payment_reference))
        self.assertEqual(invoice.journal_id.invoice_reference_model, "euro")

    def test_country_reference_only_where_its_localization_is_installed(self):
        invoice = self._invoices(self.client_company, [100.0])
        self.client_company.country_id = self.env.ref("base.no")
        available = dict(invoice.journal_id._fields["invoice_reference_model"]._description_selection(self.env))
        self.assertEqual(invoice._agency_reference_model(), "no" if "no" in available else "euro")

    # ------------------------------------------------------------------ the files

    def test_built_file_is_valid_camt053(self):
        data = self._statement([{"amount": 10.0, "ref": "RF18539007547034", "name": "Acme", "iban": ACME_IBAN}])
        self.assertTrue(validate_camt053(data))
        broken = data.replace(b"<Sts>BOOK</Sts>", b"")
        with self.assertRaises(etree.DocumentInvalid):
            validate_camt053(broken)

    def test_camt054_notification_is_imported_and_matched(self):
        invoice = self._invoices(self.client_company, [90.0])
        data = camt054(
            AGENCY_IBAN,
            [{"amount": 90.0, "ref": invoice.payment_reference}],
            currency=self.company.currency_id.name,
            statement_id="NTF-1",
            day=self.today,
        )
        self.assertTrue(validate_camt053(data, "camt.054.001.02"))
        statement = self._import(data, filename="notification.xml")
        self.assertEqual(statement.line_ids.agency_match_kind, "reference")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    # ------------------------------------------------------------------ the rules

    def test_structured_reference_settles_the_invoice(self):
        invoice = self._invoices(self.client_company, [1200.0])
        statement = self._import(
            self._statement([{"amount": 1200.0, "ref": invoice.payment_reference, "name": "Someone else"}])
        )
        line = statement.line_ids
        self.assertTrue(line.is_reconciled)
        self.assertEqual((line.agency_match_state, line.agency_match_kind), ("auto", "reference"))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(line.partner_id, self.client_company)
        self.assertEqual(statement.agency_matched_reference_count, 1)
        self.assertEqual(statement.agency_left_count, 0)
        self.assertIn("structured reference", invoice.agency_bank_match_info)

    def test_reference_in_the_free_text_with_spaces(self):
        invoice = self._invoices(self.client_company, [80.0])
        statement = self._import(
            self._statement([{"amount": 80.0, "ustrd": f"pay {invoice.payment_reference.lower()}"}])
        )
        self.assertEqual(statement.line_ids.agency_match_kind, "reference")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_wrong_check_digit_is_not_matched_by_reference(self):
        invoice = self._invoices(self.client_company, [300.0, 300.0])[0]
        statement = self._import(
            self._statement([{"amount": 300.0, "ref": wrong_check_digits(invoice.payment_reference)}])
        )
        line = statement.line_ids
        self.assertFalse(line.is_reconciled)
        self.assertNotEqual(line.agency_match_state, "auto")
        self.assertIn("wrong check digits", line.agency_match_note)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_reference_is_read_as_written_not_as_a_shorter_reading_that_fits(self):
        """About one wrong reference in 97 has a shorter reading whose check digits fit (another
        invoice's reference, ``RF19 1234`` in ``RF19 1234 5``): it is not that reference."""
        for number in range(10000, 11000):
            written = wrong_check_digits(format_structured_reference_iso(number))
            shorter = written[:-1]
            if is_valid_structured_reference_iso(shorter):
                break
        grouped = " ".join(written[start : start + 4] for start in range(0, len(written), 4))
        for text in (written, grouped, f"Payment {grouped} thanks", f"{written}\nDecember"):
            valid, invalid = structured_references(text)
            self.assertFalse({ref for ref in valid if ref.startswith("RF")}, text)
            self.assertEqual(invalid, {written}, text)
        reference = format_structured_reference_iso(number)
        for text in (reference, f"Paid {reference} PAID", f"ref {reference.lower()}", f"{reference}\n2026"):
            self.assertIn(reference.replace(" ", ""), structured_references(text)[0], text)

    def test_invoice_number_in_text_despite_case_spaces_and_missing_dash(self):
        invoice = self._invoices(self.client_company, [450.0])
        mangled = invoice.name.lower().replace("-", " ", 1).replace("-", "", 1)
        statement = self._import(self._statement([{"amount": 450.0, "ustrd": f"Invoice {mangled} thanks"}]))
        line = statement.line_ids
        self.assertEqual((line.agency_match_state, line.agency_match_kind), ("auto", "number"), line.agency_match_note)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_number_followed_by_another_digit_is_not_that_number(self):
        invoice = self._invoices(self.client_company, [450.0])
        statement = self._import(self._statement([{"amount": 450.0, "ustrd": f"Invoice {invoice.name}7"}]))
        self.assertFalse(statement.line_ids.is_reconciled)

    def test_payer_iban_and_amount_of_three_invoices_oldest_first(self):
        invoices = self._invoices(self.client_company, [100.0, 200.0, 300.0, 400.0])
        statement = self._import(self._statement([{"amount": 600.0, "iban": ACME_IBAN, "ustrd": "December"}]))
        line = statement.line_ids
        self.assertEqual((line.agency_match_state, line.agency_match_kind), ("auto", "payer"), line.agency_match_note)
        self.assertEqual(line.agency_match_move_ids, invoices[:3])
        self.assertEqual(set(invoices[:3].mapped("amount_residual")), {0.0})
        self.assertEqual(invoices[3].payment_state, "not_paid")
        self.assertEqual(statement.agency_matched_payer_count, 1)

    def test_payer_name_and_amount_of_one_invoice(self):
        invoices = self._invoices(self.globex, [100.0, 250.0])
        statement = self._import(self._statement([{"amount": 250.0, "name": "GLOBEX INDUSTRIES", "ustrd": "thanks"}]))
        self.assertEqual(statement.line_ids.agency_match_kind, "payer")
        self.assertEqual(invoices[0].payment_state, "not_paid")
        self.assertIn(invoices[1].payment_state, ("paid", "in_payment"))

    def test_one_transfer_paying_three_invoices_by_their_numbers(self):
        invoices = self._invoices(self.client_company, [100.0, 200.0, 300.0])
        text = "Invoices " + ", ".join(invoices.mapped("name"))
        statement = self._import(self._statement([{"amount": 600.0, "ustrd": text}]))
        self.assertEqual(statement.line_ids.agency_match_kind, "number")
        self.assertEqual(set(invoices.mapped("amount_residual")), {0.0})

    def test_partial_amount_settles_the_oldest_due_first(self):
        invoices = self._invoices(self.client_company, [100.0, 200.0])
        text = "Invoices " + " ".join(invoices.mapped("name"))
        self._import(self._statement([{"amount": 150.0, "ustrd": text}]))
        self.assertEqual(invoices[0].amount_residual, 0.0)
        self.assertEqual(invoices[1].amount_residual, 150.0)
        self.assertEqual(invoices[1].payment_state, "partial")

    def test_overpayment_stays_as_client_credit_and_tells_staff(self):
        invoice = self._invoices(self.client_company, [500.0])
        statement = self._import(self._statement([{"amount": 520.0, "ref": invoice.payment_reference}]))
        self.assertTrue(statement.line_ids.is_reconciled)
        self.assertEqual(invoice.amount_residual, 0.0)
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.client_company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertAlmostEqual(sum(receivable.mapped("amount_residual")), -20.0)
        activity = invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("Overpaid", activity.summary)

    def test_two_invoices_of_the_same_amount_are_a_suggestion_ready_in_one_click(self):
        invoices = self._invoices(self.client_company, [300.0, 300.0])
        statement = self._import(self._statement([{"amount": 300.0, "iban": ACME_IBAN}]))
        line = statement.line_ids
        self.assertFalse(line.is_reconciled)
        self.assertEqual(line.agency_match_state, "suggested")
        self.assertEqual(line.agency_match_move_ids[:1], invoices[0])
        self.assertIn("Suggested", line.agency_match_note)
        self.assertTrue(line.reconcile_data_info["can_reconcile"])
        line.reconcile_bank_line()  # the one click of the reconciliation screen
        self.assertTrue(line.is_reconciled)
        self.assertIn(invoices[0].payment_state, ("paid", "in_payment"))

    def test_payer_who_is_no_client(self):
        invoice = self._invoices(self.client_company, [300.0])
        statement = self._import(self._statement([{"amount": 299.0, "name": "Nobody Ltd", "iban": OTHER_IBAN}]))
        line = statement.line_ids
        self.assertFalse(line.is_reconciled)
        self.assertFalse(line.agency_payer_partner_id)
        self.assertEqual(line.agency_match_state, "none")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(statement.agency_left_count, 1)

    def test_transfer_in_another_currency_is_not_matched(self):
        other = self._other_currency()
        invoice = self._invoices(self.client_company, [400.0], currency=other)
        statement = self._import(self._statement([{"amount": 400.0, "ustrd": invoice.name}]))
        line = statement.line_ids
        self.assertFalse(line.is_reconciled)
        self.assertIn("another currency", line.agency_match_note)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_statement_of_company_b_never_matches_company_a(self):
        invoice_a = self._invoices(self.client_company, [700.0])
        company_b = self.setup_other_company(name="Agency B")["company"]
        self.env.user.company_ids |= company_b
        journal_b = self._bank_journal(company_b, OTHER_IBAN)
        statement = self._import(
            camt053(
                OTHER_IBAN,
                currency=company_b.currency_id.name,
                transactions=[
                    {"amount": 700.0, "ref": invoice_a.payment_reference, "ustrd": invoice_a.name, "iban": ACME_IBAN}
                ],
                statement_id="B-1",
            ),
            journal=journal_b,
        )
        self.assertEqual(statement.company_id, company_b)
        self.assertFalse(statement.line_ids.is_reconciled)
        self.assertFalse(statement.line_ids.agency_match_move_ids)
        self.assertEqual(invoice_a.payment_state, "not_paid")

    def test_same_file_twice_is_refused(self):
        invoice = self._invoices(self.client_company, [100.0])
        data = self._statement([{"amount": 100.0, "ref": invoice.payment_reference}, {"amount": 5.0}])
        self._import(data)
        lines = self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)])
        with self.assertRaisesRegex(UserError, "already imported"):
            self._import(data)
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)]), lines
        )

    def test_matching_again_matches_nothing_twice(self):
        invoice = self._invoices(self.client_company, [100.0])
        statement = self._import(self._statement([{"amount": 100.0, "ref": invoice.payment_reference}]))
        self.assertFalse(self.env["agency.bank.matcher"]._agency_match(statement.line_ids))
        self.assertEqual(len(invoice.line_ids.matched_credit_ids), 1)

    # ------------------------------------------------------------------ bad input

    def _assert_refused(self, data, message, journal=None, filename="statement.xml"):
        before = self.env["account.bank.statement.line"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self._import(data, journal=journal, filename=filename)
        self.assertEqual(self.env["account.bank.statement.line"].search_count([]), before)

    def test_malformed_file(self):
        self._assert_refused(b"<Document><BkToCstmrStmt>", "not supported")

    def test_empty_file(self):
        self._assert_refused(b"", "is empty")
        self._assert_refused(self._statement([]), "no transaction")

    def test_file_of_another_bank_account(self):
        self._assert_refused(self._statement([{"amount": 10.0}], iban="FR1420041010050500013M02606"), "bank account")

    def test_file_in_a_currency_the_journal_does_not_have(self):
        other = self._other_currency()
        self._assert_refused(self._statement([{"amount": 10.0}], currency=other.name), "currency")
