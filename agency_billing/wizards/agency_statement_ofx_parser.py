"""OFX bank statements (1.x SGML and 2.x XML) for the OCA import, read by ``ofxparse``.

OCA's ``account_statement_import_ofx`` is not published for Odoo 19.0: until it is, this parser turns
an OFX file into the statement values OCA's ``account_statement_import_file`` expects (its
``_parse_file`` contract), with the same library OCA's module uses.
"""

import io
import logging
import re
import warnings

from ofxparse import OfxParser

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

OFX_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?(?:OFXHEADER\s*:|<\?xml[^>]*>\s*<\?OFX\b|<OFX>)", re.IGNORECASE)


class AgencyStatementOfxParser(models.AbstractModel):
    _name = "agency.statement.ofx.parser"
    _description = "OFX Bank Statement Parser"

    @api.model
    def _agency_is_ofx(self, data_file):
        """Whether ``data_file`` claims to be OFX (its header), whatever it holds after."""
        return bool(OFX_START.match(data_file[:2048]))

    @api.model
    def _agency_parse(self, data_file, filename=""):
        """``[(currency, account number, [statement values])]``, one per account of the file."""
        try:
            with warnings.catch_warnings():
                # ofxparse reads OFX 2.x (XML) with BeautifulSoup's HTML parser, on purpose
                warnings.simplefilter("ignore")
                ofx = OfxParser.parse(io.BytesIO(data_file))
        except Exception as error:  # ofxparse raises anything on a damaged file
            _logger.info("OFX file %s not readable: %s", filename, error)
            raise UserError(
                self.env._(
                    "The OFX file %s cannot be read (it is damaged or incomplete): nothing was imported.", filename
                )
            ) from error
        results = []
        for account in ofx.accounts:
            statement = account.statement
            if not getattr(statement, "currency", None):
                continue
            transactions = [self._agency_transaction(tx) for tx in statement.transactions]
            total = sum(tx["amount"] for tx in transactions)
            values = {"name": f"OFX {account.number}", "transactions": transactions}
            if getattr(statement, "balance", None) is not None:
                balance = float(statement.balance)
                values.update(balance_start=balance - total, balance_end_real=balance)
            date = getattr(statement, "end_date", None) or getattr(statement, "balance_date", None)
            if date:
                values["date"] = date.date()
                values["name"] += f" {date.date().isoformat()}"
            results.append((statement.currency.upper(), account.number, [values]))
        if not results:
            raise UserError(self.env._("The OFX file %s holds no bank statement: nothing was imported.", filename))
        return results

    @api.model
    def _agency_transaction(self, tx):
        """One OFX transaction: its FITID identifies it (the same line never imported twice), the payee
        is the payer's name, the memo the text the matching reads."""
        payee = (tx.payee or "").strip()
        memo = (tx.memo or "").strip()
        values = {
            "date": tx.date.date(),
            "amount": float(tx.amount),
            "payment_ref": memo or payee or "/",
            "unique_import_id": f"ofx-{tx.id}",
        }
        if payee:
            values["partner_name"] = payee
        if getattr(tx, "checknum", None):
            values["payment_ref"] += f" ({tx.checknum})"
        return values
