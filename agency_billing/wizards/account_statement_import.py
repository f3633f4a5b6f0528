from odoo import models
from odoo.exceptions import UserError


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    def import_single_file(self, file_data, result):
        if not (file_data or b"").strip():
            raise UserError(self.env._("The file %s is empty: nothing was imported.", self.statement_filename or ""))
        res = super().import_single_file(file_data, result)
        if not result["statement_ids"] and result.get("agency_no_transaction"):
            raise UserError(
                self.env._("The file %s holds no transaction: nothing was imported.", self.statement_filename or "")
            )
        return res

    def _parse_file(self, data_file):
        """EXTENDS account_statement_import_file: OFX files, while OCA publishes no OFX import for 19.0."""
        parser = self.env["agency.statement.ofx.parser"]
        if parser._agency_is_ofx(data_file):
            return parser._agency_parse(data_file, self.statement_filename or "")
        return super()._parse_file(data_file)

    def import_single_statement(self, single_statement_data, result):
        if isinstance(single_statement_data, tuple) and len(single_statement_data) == 3:
            statements = single_statement_data[2] or []
            if not any(statement.get("transactions") for statement in statements):
                result["agency_no_transaction"] = True
        return super().import_single_statement(single_statement_data, result)

    def _import_file(self):
        """Import, then match every new line with the open invoices (what is certain is reconciled)."""
        result = super()._import_file()
        lines = self.env["account.bank.statement"].browse(result["statement_ids"]).line_ids
        matched = self.env["agency.bank.matcher"]._agency_match(lines)
        if lines:
            result["notifications"].append(
                self.env._(
                    "%(matched)s of %(total)s transactions matched automatically with invoices; the rest waits in "
                    "the reconciliation screen with suggestions.",
                    matched=len(matched),
                    total=len(lines),
                )
            )
        return result
