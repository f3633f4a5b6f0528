import base64

from odoo import api, fields, models


class AccountBankStatement(models.Model):
    _inherit = "account.bank.statement"

    agency_matched_reference_count = fields.Integer(string="By Reference", compute="_compute_agency_matching")
    agency_matched_number_count = fields.Integer(string="By Number", compute="_compute_agency_matching")
    agency_matched_payer_count = fields.Integer(string="By Payer and Amount", compute="_compute_agency_matching")
    agency_left_count = fields.Integer(string="Left to Match", compute="_compute_agency_matching")
    agency_matching_summary = fields.Char(string="Automatic Matching", compute="_compute_agency_matching")

    @api.depends("line_ids.agency_match_state", "line_ids.agency_match_kind", "line_ids.is_reconciled")
    def _compute_agency_matching(self):
        Line = self.env["account.bank.statement.line"]
        counts = (
            {
                (statement.id, kind, reconciled): count
                for statement, kind, reconciled, count in Line._read_group(
                    [("statement_id", "in", self.ids), ("agency_match_state", "!=", False)],
                    ["statement_id", "agency_match_kind", "is_reconciled"],
                    ["__count"],
                )
            }
            if self.ids
            else {}
        )
        for statement in self:
            by_kind = {kind: counts.get((statement.id, kind, True), 0) for kind in ("reference", "number", "payer")}
            statement.agency_matched_reference_count = by_kind["reference"]
            statement.agency_matched_number_count = by_kind["number"]
            statement.agency_matched_payer_count = by_kind["payer"]
            statement.agency_left_count = len(statement.line_ids.filtered(lambda line: not line.is_reconciled))
            statement.agency_matching_summary = self.env._(
                "%(auto)s matched automatically (reference %(ref)s, number %(number)s, payer and amount "
                "%(payer)s), %(left)s left",
                auto=sum(by_kind.values()),
                ref=by_kind["reference"],
                number=by_kind["number"],
                payer=by_kind["payer"],
                left=statement.agency_left_count,
            )

    def action_agency_matching_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("agency_billing.action_agency_statement_line_matching")
        action["domain"] = [("statement_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # DEMO
    # ------------------------------------------------------------------

    @api.model
    def _agency_demo_import_statement(self, transfers, iban="NO9386011117947"):
        """Demo data: the agency's bank sends its OFX file of the day and staff import it in the bank
        journal, through the OCA import wizard as they would. ``transfers``: ``[(invoice xmlid, what the
        payer wrote: 'reference', 'number', 'name' or 'nothing', share of the invoice paid, payer's name)]``
        (no invoice: a stranger's transfer, the share being its amount)."""
        payments = []
        for xmlid, how, share, payee in transfers:
            invoice = self.env.ref(xmlid, raise_if_not_found=False) if xmlid else None
            if xmlid and not invoice:
                continue
            if not invoice:
                payments.append((share, payee, "Transfer"))
                continue
            memo = {
                "reference": f"Payment {invoice.payment_reference}",
                "number": f"invoice {(invoice.name or '').lower()}",
                "name": "Thank you",
                "nothing": "Transfer",
            }[how]
            amount = invoice.currency_id.round(invoice.amount_residual * share)
            payments.append((amount, payee, memo))
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        if not journal.bank_account_id:
            journal.bank_account_id = self.env["res.partner.bank"].create(
                {"partner_id": self.env.company.partner_id.id, "acc_number": iban, "company_id": self.env.company.id}
            )
        day = fields.Date.context_today(self).strftime("%Y%m%d")
        currency = journal.currency_id or self.env.company.currency_id
        transactions = "".join(
            f"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{day}<TRNAMT>{amount:.2f}<FITID>DEMO-{day}-{position}"
            f"<NAME>{payee}<MEMO>{memo}</STMTTRN>\n"
            for position, (amount, payee, memo) in enumerate(payments, start=1)
        )
        total = sum(amount for amount, _payee, _memo in payments)
        data = (
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
            "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS>"
            f"<CURDEF>{currency.name}<BANKACCTFROM><BANKID>DEMO<ACCTID>{journal.bank_account_id.acc_number}"
            f"<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>{day}<DTEND>{day}\n{transactions}"
            f"</BANKTRANLIST><LEDGERBAL><BALAMT>{total:.2f}<DTASOF>{day}</LEDGERBAL></STMTRS></STMTTRNRS>"
            "</BANKMSGSRSV1></OFX>\n"
        )
        wizard = (
            self.env["account.statement.import"]
            .with_context(journal_id=journal.id)
            .create({"statement_file": base64.b64encode(data.encode()), "statement_filename": f"bank-{day}.ofx"})
        )
        wizard.import_file_button()
