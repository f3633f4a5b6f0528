import io
from collections import defaultdict

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

AGEING_BUCKETS = ("current", "1_30", "31_60", "61_90", "90_plus")


class AgencyCustomerStatement(models.AbstractModel):
    """The customer statement, computed once for the PDF, the spreadsheet, reminders and the portal."""

    _name = "agency.customer.statement"
    _description = "Customer Statement"

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _default_period(self, date_to=None):
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        return date_to.replace(day=1) - relativedelta(months=2), date_to

    @api.model
    def _ageing_labels(self):
        return {
            "current": self.env._("Not due"),
            "1_30": self.env._("1-30 days"),
            "31_60": self.env._("31-60 days"),
            "61_90": self.env._("61-90 days"),
            "90_plus": self.env._("Over 90 days"),
        }

    @api.model
    def _ageing_bucket(self, days_late):
        if days_late <= 0:
            return "current"
        if days_late <= 30:
            return "1_30"
        if days_late <= 60:
            return "31_60"
        if days_late <= 90:
            return "61_90"
        return "90_plus"

    @api.model
    def _line_kind(self, move):
        if move.move_type in ("out_invoice", "out_receipt"):
            return "invoice", self.env._("Invoice")
        if move.move_type == "out_refund":
            return "credit_note", self.env._("Credit note")
        if move.origin_payment_id or move.statement_line_id:
            return "payment", self.env._("Payment")
        return "other", self.env._("Other")

    @api.model
    def _receivable_domain(self, partner, company):
        return Domain(
            [
                ("partner_id", "child_of", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )

    @api.model
    def _get_statement_data(self, partner, date_from=None, date_to=None, company=None):
        """Statement of ``partner``'s commercial entity for a period, one block per currency.

        Returns ``{'partner', 'company', 'date_from', 'date_to', 'currencies': [block, ...]}`` where each
        block holds ``currency``, ``opening_balance``, ``lines`` (date, number, kind, reference, due date,
        debit, credit, running ``balance``), ``closing_balance``, ``open_items`` (with ``days_late``,
        ``disputed`` and ``bucket``), ``disputed`` (of the open items, ``account.move._agency_disputed_installments``)
        and ``ageing`` (bucket -> amount, plus ``total``). Amounts are in the block's currency.
        """
        if not partner:
            raise UserError(self.env._("Choose a customer for the statement."))
        partner = partner.commercial_partner_id
        company = company or self.env.company
        default_from, default_to = self._default_period(date_to)
        date_from = fields.Date.to_date(date_from) or default_from
        date_to = fields.Date.to_date(date_to) or default_to
        if date_from > date_to:
            raise UserError(self.env._("The statement period must start before it ends."))
        AML = self.env["account.move.line"]
        base = self._receivable_domain(partner, company) & Domain("date", "<=", date_to)
        lines = AML.search(base, order="date, move_name, id")

        by_currency = defaultdict(lambda: AML)
        for line in lines:
            by_currency[line.currency_id] |= line
        blocks = []
        for currency in sorted(by_currency, key=lambda cur: (cur != company.currency_id, cur.name)):
            blocks.append(self._currency_block(currency, by_currency[currency], date_from, date_to))
        return {
            "partner": partner,
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "currencies": blocks,
            "ageing_labels": self._ageing_labels(),
            "ageing_buckets": AGEING_BUCKETS,
        }

    @api.model
    def _currency_block(self, currency, lines, date_from, date_to):
        opening = sum(lines.filtered(lambda aml: aml.date < date_from).mapped("amount_currency"))
        rows, balance = [], opening
        period_lines = lines.filtered(lambda aml: aml.date >= date_from)
        for move, move_lines in period_lines.grouped("move_id").items():
            amount = sum(move_lines.mapped("amount_currency"))
            if currency.is_zero(amount):
                continue
            balance += amount
            kind, kind_label = self._line_kind(move)
            rows.append(
                {
                    "date": move.date,
                    "move": move,
                    "number": move.name,
                    "kind": kind,
                    "kind_label": kind_label,
                    "reference": move.ref or "",
                    "due_date": move.invoice_date_due if kind == "invoice" else False,
                    "debit": amount if amount > 0 else 0.0,
                    "credit": -amount if amount < 0 else 0.0,
                    "balance": balance,
                }
            )
        open_items = []
        ageing = dict.fromkeys(AGEING_BUCKETS, 0.0)
        # the disputed part of each open installment (the one method of account.move)
        disputed = lines.move_id._agency_disputed_installments(date_to)
        for line in lines:
            residual = line._agency_residual_on(date_to)
            if currency.is_zero(residual):
                continue
            due = line.date_maturity or line.date
            days_late = (date_to - due).days
            bucket = self._ageing_bucket(days_late)
            ageing[bucket] += residual
            kind, kind_label = self._line_kind(line.move_id)
            open_items.append(
                {
                    "date": line.date,
                    "move": line.move_id,
                    "number": line.move_id.name,
                    "kind": kind,
                    "kind_label": kind_label,
                    "reference": line.move_id.ref or "",
                    "due_date": due,
                    "days_late": max(days_late, 0),
                    "amount": line.amount_currency,
                    "residual": residual,
                    "disputed": disputed.get(line, 0.0),
                    "bucket": bucket,
                }
            )
        ageing["total"] = sum(ageing[bucket] for bucket in AGEING_BUCKETS)
        return {
            "currency": currency,
            "opening_balance": opening,
            "lines": rows,
            "closing_balance": balance,
            "open_items": open_items,
            "disputed": sum(item["disputed"] for item in open_items),
            "ageing": ageing,
        }

    # ------------------------------------------------------------------
    # EXPORT
    # ------------------------------------------------------------------

    @api.model
    def _get_statement_xlsx(self, partner, date_from=None, date_to=None, company=None):
        """The statement as an .xlsx file (bytes): one sheet per currency."""
        data = self._get_statement_data(partner, date_from, date_to, company)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        styles = {
            "bold": workbook.add_format({"bold": True}),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }
        if not data["currencies"]:
            sheet = workbook.add_worksheet(self.env._("Statement"))
            sheet.write_string(
                0, 0, self.env._("Statement of %(partner)s", partner=data["partner"].name), styles["title"]
            )
            sheet.write_string(1, 0, self.env._("No entries in this period."))
        for block in data["currencies"]:
            digits = "0" * block["currency"].decimal_places
            styles["money"] = workbook.add_format({"num_format": f"#,##0.{digits}"})
            styles["money_bold"] = workbook.add_format({"num_format": f"#,##0.{digits}", "bold": True})
            self._xlsx_write_block(workbook.add_worksheet(block["currency"].name), data, block, styles)
        workbook.close()
        return output.getvalue()

    @api.model
    def _xlsx_write_row(self, sheet, row, values, styles):
        for col, cell in enumerate(values):
            if cell is None or cell is False:
                continue
            value, style = (cell[0], styles[cell[1]]) if isinstance(cell, tuple) else (cell, None)
            if hasattr(value, "strftime"):
                sheet.write_datetime(row, col, fields.Datetime.to_datetime(value), style or styles["date"])
            elif isinstance(value, float):
                sheet.write_number(row, col, value, style or styles["money"])
            elif isinstance(value, str):
                # text stays text: "=HYPERLINK(...)" from a payment reference is no formula
                sheet.write_string(row, col, value, style)
            else:
                sheet.write(row, col, value, style)

    @api.model
    def _xlsx_write_block(self, sheet, data, block, styles):
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 22)
        sheet.set_column(2, 7, 15)
        title = self.env._("Statement of %(partner)s", partner=data["partner"].name)
        subtitle = self.env._(
            "%(company)s, from %(date_from)s to %(date_to)s, in %(currency)s",
            company=data["company"].name,
            date_from=data["date_from"],
            date_to=data["date_to"],
            currency=block["currency"].name,
        )
        document_labels = (
            self.env._("Date"),
            self.env._("Number"),
            self.env._("Type"),
            self.env._("Reference"),
            self.env._("Due date"),
        )
        rows = [
            [(title, "title")],
            [subtitle],
            [],
            [
                (label, "bold")
                for label in (*document_labels, self.env._("Debit"), self.env._("Credit"), self.env._("Balance"))
            ],
            [None, (self.env._("Opening balance"), "bold"), *[None] * 5, (block["opening_balance"], "money_bold")],
        ]
        rows += [
            [
                line["date"],
                line["number"],
                line["kind_label"],
                line["reference"],
                line["due_date"],
                line["debit"],
                line["credit"],
                line["balance"],
            ]
            for line in block["lines"]
        ]
        rows += [
            [None, (self.env._("Closing balance"), "bold"), *[None] * 5, (block["closing_balance"], "money_bold")],
            [],
            [(self.env._("Open items"), "title")],
            [(label, "bold") for label in (*document_labels, self.env._("Days late"), self.env._("Open"))],
        ]
        rows += [
            [
                item["date"],
                item["number"],
                item["kind_label"],
                item["reference"],
                item["due_date"],
                (item["days_late"], None),
                item["residual"],
            ]
            for item in block["open_items"]
        ]
        rows += [
            [],
            [(self.env._("Ageing"), "title")],
            [(data["ageing_labels"][bucket], "bold") for bucket in AGEING_BUCKETS] + [(self.env._("Total"), "bold")],
            [block["ageing"][bucket] for bucket in AGEING_BUCKETS] + [(block["ageing"]["total"], "money_bold")],
        ]
        styles[None] = None
        for row, values in enumerate(rows):
            self._xlsx_write_row(sheet, row, values, styles)
