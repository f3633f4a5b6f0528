from unittest.mock import patch

from odoo.tests import tagged

from .bank_common import ACME_IBAN, BankMatchingCommon


class Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestBankReconcileBatch(BankMatchingCommon):
    """The batch reconciliation of certain matches gives what OCA's ``reconcile_bank_line`` gives line
    by line: the same journal items, partials, receipts, OCA screen, and it can be undone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme_invoices = cls._invoices(cls.client_company, [100.0, 200.0, 300.0, 1000.0, 700.0])
        cls.globex_invoices = cls._invoices(cls.globex, [250.0, 480.0])

    def _transactions(self):
        acme, globex = self.acme_invoices, self.globex_invoices
        return [
            # by reference, exactly
            {"amount": 700.0, "ref": acme[4].payment_reference},
            # by payer IBAN and the amount of three invoices, oldest first
            {"amount": 600.0, "iban": ACME_IBAN, "ustrd": "December"},
            # by reference, part of the invoice
            {"amount": 400.0, "ref": acme[3].payment_reference},
            # by number, more than the invoice: the rest stays as the client's credit
            {"amount": 500.0, "ustrd": f"Invoice {globex[0].name}"},
            # by payer name and amount
            {"amount": 480.0, "name": "GLOBEX INDUSTRIES"},
            # a suggestion only (no certain match): left alone
            {"amount": 700.0, "name": "Somebody Else"},
        ]

    def _import_unmatched(self, statement_id="STMT-1", transactions=None):
        Matcher = type(self.env["agency.bank.matcher"])
        with patch.object(Matcher, "_agency_match", lambda self, lines: lines.browse()):
            statement = self._import(self._statement(transactions or self._transactions(), statement_id=statement_id))
        return statement.line_ids.sorted("id")

    def _snapshot(self, st_lines):
        """Everything reconciling wrote, without the ids of the records it created."""
        self.env.flush_all()
        self.env.invalidate_all()
        Move = self.env["account.move"]
        receipts = "agency_receipt_state" in Move._fields

        def partials(aml):
            return sorted(
                (other.move_id.name, other.account_id.code, partial.amount, partial.full_reconcile_id.id is not False)
                for partial, other in [(p, p.credit_move_id) for p in aml.matched_credit_ids]
                + [(p, p.debit_move_id) for p in aml.matched_debit_ids]
            )

        lines = {}
        for st_line in st_lines:
            move = st_line.move_id
            lines[st_line.id] = {
                "reconciled": st_line.is_reconciled,
                "residual": st_line.amount_residual,
                "partner": st_line.partner_id.id,
                "mode": st_line.reconcile_mode,
                "draft": st_line.reconcile_data,
                "match": (st_line.agency_match_state, st_line.agency_match_kind, st_line.agency_match_note),
                "matched": st_line.agency_match_move_ids.ids,
                "move_partner": move.partner_id.id,
                "receipt": move.agency_receipt_state if receipts else None,
                "messages": sorted(str(message.body) for message in move.message_ids),
                "items": sorted(
                    (
                        aml.account_id.code,
                        aml.partner_id.id,
                        aml.name or "",
                        aml.debit,
                        aml.credit,
                        aml.amount_currency,
                        aml.currency_id.id,
                        aml.amount_residual,
                        aml.reconciled,
                        aml.date_maturity and str(aml.date_maturity),
                        str(partials(aml)),
                    )
                    for aml in move.line_ids
                ),
                # what OCA's reconciliation screen shows for the line
                "screen": sorted(
                    (item["kind"], item["account_id"][0], item["amount"], str(item.get("partner_id")))
                    for item in st_line.reconcile_data_info["data"]
                ),
            }
        invoices = self.acme_invoices | self.globex_invoices
        return {
            "lines": lines,
            "invoices": [(move.name, move.payment_state, move.amount_residual) for move in invoices],
            "activities": sorted((a.res_id, a.summary) for a in invoices.activity_ids),
        }

    def _reconcile(self, st_lines, per_line):
        matcher = self.env["agency.bank.matcher"]
        if per_line:
            matcher = matcher.with_context(agency_bank_reconcile_per_line=True)
        return matcher._agency_match(st_lines)

    def test_batch_gives_what_oca_gives_line_by_line(self):
        st_lines = self._import_unmatched()
        try:
            with self.env.cr.savepoint():
                reconciled = self._reconcile(st_lines, per_line=True)
                by_oca = self._snapshot(st_lines)
                raise Rollback
        except Rollback:
            self.env.invalidate_all()
        self.assertEqual(len(reconciled), 5)
        self.assertFalse(any(st_lines.mapped("is_reconciled")), "the savepoint undid OCA's path")
        reconciled = self._reconcile(st_lines, per_line=False)
        self.assertEqual(len(reconciled), 5)
        ours = self._snapshot(st_lines)
        for st_line in st_lines:
            self.assertEqual(ours["lines"][st_line.id], by_oca["lines"][st_line.id], st_line.payment_ref)
        self.assertEqual(ours["invoices"], by_oca["invoices"])
        self.assertEqual(ours["activities"], by_oca["activities"])
        self.assertTrue(ours["activities"], "the overpayment told staff")
        self.assertEqual([line["reconciled"] for line in ours["lines"].values()], [True, True, True, True, True, False])

    def test_batch_reconciliation_is_undone_in_oca_screen(self):
        st_lines = self._import_unmatched()
        before = self._snapshot(st_lines)
        reconciled = self._reconcile(st_lines, per_line=False)
        self.assertEqual(len(reconciled), 5)
        for st_line in reconciled:
            st_line.unreconcile_bank_line()
        after = self._snapshot(st_lines)
        self.assertEqual(after["invoices"], before["invoices"])
        for st_line in reconciled:
            self.assertFalse(after["lines"][st_line.id]["reconciled"])
            # back to one bank line and one suspense line, as imported (the client found stays on it)
            self.assertEqual(
                [(item[0], *item[2:6]) for item in after["lines"][st_line.id]["items"]],
                [(item[0], *item[2:6]) for item in before["lines"][st_line.id]["items"]],
            )

    def _queries_of_batch(self, count):
        st_lines = self._import_unmatched(
            f"STMT-{count}", [dict(tx, bank_ref=f"Q{count}-{i}") for i, tx in enumerate(self._transactions())]
        )
        decisions = self.env["agency.bank.matcher"]._agency_decide(st_lines)
        certain = [(line, self.env["account.move"].union(*d["moves"])) for line, d in decisions if d["state"] == "auto"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        try:
            with self.env.cr.savepoint():
                done = self.env["agency.bank.reconciler"]._agency_reconcile_many(certain[:count])
                self.env.flush_all()
                queries = self.env.cr.sql_log_count - before
                raise Rollback
        except Rollback:
            self.env.invalidate_all()
        self.assertEqual(len(done), count)
        return queries

    def test_batch_queries_do_not_grow_per_line(self):
        """The writes are batched: five certain matches do not cost five times the queries of one."""
        one, five = self._queries_of_batch(1), self._queries_of_batch(5)
        self.assertLess(five, 2 * one, f"1 line: {one} queries, 5 lines: {five}")

    def test_one_invoice_paid_twice_in_one_file_is_matched_once(self):
        invoice = self.globex_invoices[1]
        statement = self._import(
            self._statement(
                [
                    {"amount": 480.0, "ref": invoice.payment_reference, "bank_ref": "TWICE-1"},
                    {"amount": 480.0, "ref": invoice.payment_reference, "bank_ref": "TWICE-2"},
                ],
                statement_id="TWICE",
            )
        )
        first, second = statement.line_ids.sorted("id")
        self.assertTrue(first.is_reconciled)
        self.assertEqual(first.agency_match_state, "auto")
        self.assertFalse(second.is_reconciled)
        self.assertEqual(second.agency_match_state, "suggested")
        self.assertIn("also paid by another transfer", second.agency_match_note)
        self.assertEqual(invoice.amount_residual, 0.0)
