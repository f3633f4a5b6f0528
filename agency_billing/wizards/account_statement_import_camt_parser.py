from odoo import models


class AccountStatementImportCamtParser(models.AbstractModel):
    _inherit = "account.statement.import.camt.parser"

    def parse_statement(self, ns, node):
        """Give every transaction an import identifier, so that the same file (or the same entries in
        another file) is never imported twice: the bank's own reference of the entry (AcctSvcrRef) when
        it has one, else the statement's identifier and the entry's position."""
        result = super().parse_statement(ns, node)
        statement_id = result.get("name") or ""
        identifiers = []
        for position, entry in enumerate(node.xpath("./ns:Ntry", namespaces={"ns": ns}), start=1):
            entry_ref = entry.xpath("./ns:AcctSvcrRef/text() | ./ns:NtryRef/text()", namespaces={"ns": ns})
            details = entry.xpath("./ns:NtryDtls/ns:TxDtls", namespaces={"ns": ns}) or [None]
            for detail_position, detail in enumerate(details, start=1):
                detail_ref = (
                    detail.xpath("./ns:Refs/ns:AcctSvcrRef/text()", namespaces={"ns": ns}) if detail is not None else []
                )
                if detail_ref:
                    identifiers.append(f"camt-{detail_ref[0]}")
                elif entry_ref:
                    identifiers.append(f"camt-{entry_ref[0]}-{detail_position}")
                else:
                    identifiers.append(f"camt-{statement_id}-{position}-{detail_position}")
        if len(identifiers) == len(result["transactions"]):
            for transaction, identifier in zip(result["transactions"], identifiers, strict=True):
                transaction.setdefault("unique_import_id", identifier)
        return result
