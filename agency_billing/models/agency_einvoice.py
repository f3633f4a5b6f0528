from odoo import api, models
from odoo.tools.misc import format_amount


class AgencyEinvoice(models.AbstractModel):
    """What an agency invoice says in its e-invoice (Factur-X CII, Peppol BIS 3 UBL and its flavours),
    computed once for every format: Odoo's builders (``account_edi_ubl_cii``) make the files, our
    extensions of them (``account_edi_xml_ubl_bis3.py``, ``account_edi_xml_cii_facturx.py``) put these
    values where each format wants them.

    * project sections are not lines: each line carries its project (and its PO) as a note and an item
      attribute;
    * the PO goes in the order reference, the client's own routing reference in the buyer reference
      (PEPPOL-EN16931-R003 wants one of them);
    * the payment terms in words, installments and early-payment discount included, in the client's
      language;
    * the invoices an invoice is about (a credit note's invoice, the deposit invoices deducted; the
      late-fee invoice's overdue invoice in ``agency_billing_reminders``) as preceding invoices.
    """

    _name = "agency.einvoice"
    _description = "Agency e-invoice contents"

    @api.model
    def _applies(self, move):
        """Our contents are for the sales documents of agency clients (billing profile or public
        administration); other documents keep Odoo's own files unchanged."""
        return move.is_sale_document() and move.commercial_partner_id._agency_is_einvoice_client()

    # ------------------------------------------------------------------
    # LINES
    # ------------------------------------------------------------------

    @api.model
    def _line_info(self, move):
        """``{invoice line id: {"project", "po", "note"}}`` for the product lines of ``move``: the project
        (its sale line's, else the section heading), its PO and the note for the file, e.g.
        "Website (PO 4711) / Out of scope"."""
        env = move.env  # the client's language when the builder calls
        info = {}
        section = subsection = False
        for line in move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id)):
            if line.display_type == "line_section":
                section, subsection = line.name, False
                continue
            if line.display_type == "line_subsection":
                subsection = line.name
                continue
            if line.display_type != "product":
                continue
            sale_lines = line.sale_line_ids
            if move._agency_is_deposit_line(line):
                deposits = self._deposit_invoices(line)
                note = (
                    env._("Deposit already invoiced: %s", ", ".join(deposits.mapped("name")))
                    if deposits
                    else env._("Deposit already invoiced")
                )
                info[line.id] = {"project": False, "po": False, "note": note}
                continue
            project = sale_lines[:1]._agency_project() if sale_lines else False
            po = sale_lines.order_id[:1].client_order_ref or False
            note = " / ".join(part for part in (section, subsection) if part) or (project and project.name) or False
            info[line.id] = {"project": project.name if project else section, "po": po, "note": note}
        return info

    @api.model
    def _line_properties(self, move, line_info):
        """Item attributes of a line (name, value): its project and its PO, labels in the client's language."""
        env = move.env
        properties = []
        if line_info.get("project"):
            properties.append((env._("Project"), line_info["project"]))
        if line_info.get("po"):
            properties.append((env._("Purchase order"), line_info["po"]))
        return properties

    # ------------------------------------------------------------------
    # REFERENCES
    # ------------------------------------------------------------------

    @api.model
    def _type_code(self, move):
        """The document type (BT-3, UNTDID 1001) when it is not Odoo's 380/381: 386, a prepayment invoice,
        for a deposit invoice (only down payment lines, none deducted)."""
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if (
            move.move_type == "out_invoice"
            and lines
            and all(line.sale_line_ids and all(line.sale_line_ids.mapped("is_downpayment")) for line in lines)
            and not any(move._agency_is_deposit_line(line) for line in lines)
        ):
            return "386"
        return None

    @api.model
    def _deposit_invoices(self, lines):
        """The posted invoices of the deposits (down payments) that ``lines`` deduct."""
        deposits = lines.sale_line_ids.filtered("is_downpayment").invoice_lines.move_id
        return (
            deposits.filtered(lambda move: move.state == "posted" and move.move_type == "out_invoice") - lines.move_id
        )

    @api.model
    def _preceding_invoices(self, move):
        """The invoices ``move`` is about (EN 16931 BG-3): the invoice a credit note corrects, the deposit
        invoices a final invoice deducts. Extended by ``agency_billing_reminders`` for late fees."""
        if move.move_type == "out_refund":
            return move.reversed_entry_id
        return self._deposit_invoices(move.invoice_line_ids.filtered(move._agency_is_deposit_line))

    @api.model
    def _purchase_orders(self, move, depth=0):
        """The client's PO numbers of ``move``: its orders' (customer reference), else the customer reference
        of a hand-made invoice, else those of the invoices it is about (a late fee, a credit note)."""
        orders = move.invoice_line_ids.sale_line_ids.order_id
        if orders:
            return sorted({ref for ref in orders.mapped("client_order_ref") if ref})
        if move.move_type == "out_invoice" and move.ref and not self._preceding_invoices(move):
            return [move.ref]
        if depth > 1:
            return []
        return sorted(
            {po for invoice in self._preceding_invoices(move) for po in self._purchase_orders(invoice, depth + 1)}
        )

    @api.model
    def _references(self, move):
        """``{"buyer": BuyerReference (BT-10) or None, "order": OrderReference (BT-13) or None}``.

        One PO: the order reference. Several POs on one invoice (a client that does not want one PO per
        invoice): no single order reference; the buyer reference lists them unless the client has its own."""
        partner = move.commercial_partner_id
        pos = self._purchase_orders(move)
        order = pos[0] if len(pos) == 1 else None
        buyer = partner.agency_buyer_reference or None
        if not buyer and partner.peppol_eas == "0204":  # Leitweg-ID of a German public buyer
            buyer = partner.peppol_endpoint
        if not buyer and len(pos) > 1:
            buyer = ", ".join(pos)
        return {"buyer": buyer, "order": order, "purchase_orders": pos}

    # ------------------------------------------------------------------
    # TERMS
    # ------------------------------------------------------------------

    @api.model
    def _terms_note(self, move):
        """The payment terms in words (BT-20), in the language of ``move``'s environment: the terms, each
        installment with its amount and date, the early-payment discount with the amount to pay."""
        env = move.env
        term = move.invoice_payment_term_id
        date_ref = move.invoice_date or move.invoice_date_due
        if term:
            parts = [term._agency_plain_terms(date_ref=date_ref)]
        elif move.invoice_date_due and move.invoice_date and move.invoice_date_due != move.invoice_date:
            parts = [
                env._("Due by %(date)s", date=env["account.payment.term"]._agency_format_date(move.invoice_date_due))
            ]
        else:
            parts = [env["account.payment.term"]._agency_plain_terms(date_ref=date_ref)]
        installments = move.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted("date_maturity")
        if len(installments) > 1:
            parts.append(
                env._(
                    "Installments: %s",
                    "; ".join(
                        env._(
                            "%(amount)s by %(date)s",
                            amount=format_amount(env, abs(line.amount_currency), move.currency_id),
                            date=env["account.payment.term"]._agency_format_date(line.date_maturity),
                        )
                        for line in installments
                    ),
                )
            )
        if move.invoice_date and move._is_eligible_for_early_payment_discount(move.currency_id, move.invoice_date):
            parts.append(
                env._(
                    "Early payment: %(amount)s if paid by %(date)s",
                    amount=format_amount(
                        env, term._get_amount_due_after_discount(move.amount_total, move.amount_tax), move.currency_id
                    ),
                    date=env["account.payment.term"]._agency_format_date(
                        term._get_last_discount_date(move.invoice_date)
                    ),
                )
            )
        return ". ".join(part.rstrip(".") for part in parts if part) + "."
