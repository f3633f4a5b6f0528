from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain

# paid, on its way (registered, not yet matched with the bank), reversed by a credit note, or legacy:
# nothing left to collect. Everything else (not paid, partially paid, blocked) is still owed.
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed", "invoicing_legacy")


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_billing_key = fields.Char(
        string="Billing Key",
        copy=False,
        readonly=True,
        help="Client, company, currency, group and period billed by the billing run: a key is billed once.",
    )
    agency_billing_run_line_ids = fields.One2many("agency.billing.run.line", "invoice_id", string="Billing Runs")

    agency_client_code = fields.Char(
        related="commercial_partner_id.agency_client_code", store=True, string="Client Code", index="btree_not_null"
    )

    _agency_billing_key_unique = models.UniqueIndex(
        "(agency_billing_key) WHERE agency_billing_key IS NOT NULL AND state != 'cancel'",
        "This client was already billed for this period.",
    )

    # ------------------------------------------------------------------
    # BUSINESS: what "open", "overdue", "disputed" and "to remind" mean, defined once
    # (the public API of the base addon: late payers, reminders and the portal use these)
    # ------------------------------------------------------------------

    @api.model
    def _agency_open_domain(self):
        """Posted customer invoices, receipts and credit notes still owed, in part or in full.

        "In payment" (a payment registered but not yet matched with the bank) counts as paid:
        nobody is chased for money already sent. A blocked (disputed) invoice is still owed: it
        stays in the balance.
        """
        return Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                ("payment_state", "not in", SETTLED_PAYMENT_STATES),
            ]
        )

    @api.model
    def _agency_disputed_domain(self):
        """Open invoices on hold: Odoo's "blocked" payment state (*Block payment* on the invoice,
        or a dispute raised by the client). Still owed, but never overdue and never chased."""
        return self._agency_open_domain() & Domain("payment_state", "=", "blocked")

    @api.model
    def _agency_to_remind_domain(self):
        """Open customer invoices that reminders may chase: not blocked (disputed), not credit notes.

        Whether one is reminded *now* (its due date, the cadence's steps, a pause, a promise, a
        pending online payment) is the reminder engine's business, on top of this domain.
        """
        return (
            self._agency_open_domain()
            & Domain("move_type", "in", ("out_invoice", "out_receipt"))
            & Domain("payment_state", "!=", "blocked")
        )

    @api.model
    def _agency_overdue_domain(self, date=None):
        """Invoices to remind with an installment past due before ``date`` (default: today) and not
        paid yet: "overdue" is the installment's (``account.move.line._agency_due_lines_domain``), the
        same for the portal, the account summary, Late Clients and the reminders.

        As in Odoo's own portal (``_get_overdue_invoices_domain``), a blocked (disputed) invoice is
        not overdue.
        """
        date = date or fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        return self._agency_to_remind_domain() & Domain(
            "line_ids", "any", Line._agency_unpaid_installments_domain(date)
        )

    # ------------------------------------------------------------------
    # BUSINESS: the disputed amount of an invoice, defined once
    # (reminders, late fees, the portal and the documents call these)
    # ------------------------------------------------------------------

    def _agency_disputed_amounts(self, date=None):
        """The disputed amount of each of these invoices on ``date`` (default: today), taxes included, in
        the invoice's currency: ``{move: amount}`` for the disputed ones only. Counted once per invoice and
        never more than what is still due on it.

        Here: a blocked invoice (Odoo's *Block payment*) is disputed in full. ``agency_billing_reminders``
        adds the project sections a client disputes.
        """
        return {
            move: move._agency_residual_on(date)
            for move in self
            if move.payment_state == "blocked" and move.is_sale_document(include_receipts=True)
        }

    def _agency_residual_on(self, date=None):
        """What was still due on this invoice on ``date`` (default: now), in its currency."""
        self.ensure_one()
        return sum(line._agency_residual_on(date) for line in self._agency_installment_lines())

    def _agency_installment_lines(self):
        """The installments of the invoice: its receivable lines (one per due date of its payment terms)."""
        return self.line_ids.filtered(lambda line: line.display_type == "payment_term")

    def _agency_disputed_installments(self, date=None):
        """The disputed part of each installment of these invoices on ``date`` (default: today):
        ``{installment (receivable line): amount}``, in the invoice's currency, taxes included.

        The disputed amount of an invoice (``_agency_disputed_amounts``) is counted once, spread over its
        installments in proportion to their amounts, never more on one than what is still due on it (the
        rest goes to the others, the last first). Nothing for an invoice without dispute.
        """
        shares = {}
        for move, amount in self._agency_disputed_amounts(date).items():
            currency = move.currency_id
            installments = move._agency_installment_lines().sorted(lambda line: (line.date_maturity, line.id))
            room = {line: max(line._agency_residual_on(date), 0.0) for line in installments}
            total = sum(installments.mapped("amount_currency"))
            disputed = min(amount, sum(room.values()))
            if currency.compare_amounts(disputed, 0) <= 0 or currency.is_zero(total):
                continue
            left = disputed
            for line in installments:
                share = min(currency.round(disputed * line.amount_currency / total), room[line], left)
                shares[line] = share
                left -= share
            for line in reversed(installments):  # what did not fit where it was due: on the others
                extra = min(left, room[line] - shares[line])
                shares[line] += extra
                left -= extra
        return {line: amount for line, amount in shares.items() if not line.currency_id.is_zero(amount)}

    # ------------------------------------------------------------------
    # SEQUENCE: client-coded numbers (EXTENDS account sequence.mixin)
    # ------------------------------------------------------------------

    def _agency_number_prefix(self):
        self.ensure_one()
        journal = self.journal_id
        if not journal.agency_numbering or self.move_type not in ("out_invoice", "out_refund") or not self.partner_id:
            return False
        date = self.date or self.invoice_date or fields.Date.context_today(self)
        return journal._agency_number_prefix(self.partner_id, date, refund=self.move_type == "out_refund")

    def _get_starting_sequence(self):
        prefix = self._agency_number_prefix()
        if prefix:
            return f"{prefix}0000"
        return super()._get_starting_sequence()

    def _get_last_sequence_domain(self, relaxed=False):
        prefix = self._agency_number_prefix()
        if not prefix:
            return super()._get_last_sequence_domain(relaxed)
        # one gapless sequence per prefix (client, service, period): the last number of that prefix only
        where_string, param = super(AccountMove, self.with_context(no_anti_regex=True))._get_last_sequence_domain(
            relaxed
        )
        where_string += " AND sequence_prefix = %(agency_prefix)s "
        param["agency_prefix"] = prefix
        return where_string, param

    # ------------------------------------------------------------------
    # AGENCY INVOICE REPORT
    # ------------------------------------------------------------------

    agency_invoice_message = fields.Text(
        string="Message to the Client",
        copy=False,
        help="Personal message or thank-you note printed on the agency invoice. "
        "Empty: the client's invoice message, in the client's language.",
    )

    def _agency_invoice_message(self):
        """The message printed on the invoice: its own, or else the client's (in the client's language)."""
        self.ensure_one()
        if self.agency_invoice_message:
            return self.agency_invoice_message
        partner = self.partner_id.commercial_partner_id
        return partner.with_context(lang=self.partner_id.lang or partner.lang).agency_invoice_message or False

    @api.model
    def _agency_out_of_scope_headings(self):
        """Names of the sections/subsections that hold out-of-scope work (every installed language)."""
        names = {"out of scope"}
        for code, _name in self.env["res.lang"].get_installed():
            names.add(self.with_context(lang=code).env._("Out of scope").lower())
        return names

    @api.model
    def _agency_is_deposit_line(self, line):
        """A deposit (down payment) already invoiced, deducted on this invoice."""
        return (
            line.display_type == "product"
            and line.price_subtotal < 0
            and any(line.sale_line_ids.mapped("is_downpayment"))
        )

    def _agency_invoice_report_values(self):
        """What the agency invoice shows, computed once for the QWeb template and the tests.

        Lines are grouped by project section (``line_section``); lines flagged out of scope (on their sale
        line or under an "Out of scope" section/subsection) are set apart with their own subtotal; deposit
        (down payment) lines are shown as deductions; payments already received come from Odoo's payments
        widget.
        """
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        move = self.with_context(lang=lang)
        oos_names = self._agency_out_of_scope_headings()
        sections, deposits = [], []
        section = subsection_oos = section_oos = None

        def new_section(name):
            vals = {"name": name, "lines": [], "subtotal": 0.0, "out_of_scope": [], "out_of_scope_subtotal": 0.0}
            sections.append(vals)
            return vals

        for line in move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id)):
            heading_oos = (line.name or "").strip().lower() in oos_names
            if line.display_type == "line_section":
                section = new_section(line.name)
                section_oos, subsection_oos = heading_oos, False
                continue
            if line.display_type == "line_subsection":
                subsection_oos = heading_oos
                continue
            if line.display_type != "product":
                continue
            if self._agency_is_deposit_line(line):
                deposits.append(line)
                continue
            if section is None:
                section = new_section(False)
            out_of_scope = (
                section_oos
                or subsection_oos
                or any(line.sale_line_ids.mapped(lambda sol: getattr(sol, "agency_out_of_scope", False)))
            )
            key = "out_of_scope" if out_of_scope else "lines"
            section[key].append(line)
            section["out_of_scope_subtotal" if out_of_scope else "subtotal"] += line.price_subtotal
        sections = [vals for vals in sections if vals["lines"] or vals["out_of_scope"]]

        payments = []
        if self.payment_state != "invoicing_legacy":
            widget = self.sudo().invoice_payments_widget or {}
            payments = [vals for vals in widget.get("content", []) if not vals.get("is_exchange")]

        term = move.invoice_payment_term_id
        terms_text = term._agency_plain_terms(date_ref=self.invoice_date or self.invoice_date_due)
        if not term and self.invoice_date_due and self.invoice_date and self.invoice_date_due != self.invoice_date:
            terms_text = move.env._(
                "Due by %(date)s", date=move.env["account.payment.term"]._agency_format_date(self.invoice_date_due)
            )
        early_discount = False
        if self.invoice_date and self._is_eligible_for_early_payment_discount(self.currency_id, self.invoice_date):
            early_discount = {
                "amount": term._get_amount_due_after_discount(self.amount_total, self.amount_tax),
                "percent": term.discount_percentage,
                "date": move.env["account.payment.term"]._agency_format_date(
                    term._get_last_discount_date(self.invoice_date)
                ),
            }

        qr_code_url = False
        if self.display_qr_code and self.amount_residual and self.move_type == "out_invoice":
            qr_code_url = self._generate_qr_code(silent_errors=True)
        pay_url = False
        # the portal link needs an access token: made here unless the cursor is read-only
        can_link = self.access_token or not self.env.cr.readonly
        if can_link and self.state == "posted" and self.amount_residual and self.move_type == "out_invoice":
            pay_url = self.get_base_url() + self.get_portal_url()

        company = self.company_id
        return {
            "lang": lang,
            "sections": sections,
            "scope_total": sum(vals["subtotal"] for vals in sections),
            "out_of_scope_total": sum(vals["out_of_scope_subtotal"] for vals in sections),
            "has_out_of_scope": any(vals["out_of_scope"] for vals in sections),
            "deposits": deposits,
            "deposits_total": sum(deposits_line.price_subtotal for deposits_line in deposits),
            "payments": payments,
            "paid_total": sum(vals["amount"] for vals in payments),
            "terms_text": terms_text,
            "due_date": self.invoice_date_due
            and move.env["account.payment.term"]._agency_format_date(self.invoice_date_due),
            "early_discount": early_discount,
            "late_policy": company.with_context(lang=lang)._agency_late_payment_text(),
            "amount_in_words": self.currency_id.with_context(lang=lang).amount_to_text(self.amount_total),
            "qr_code_url": qr_code_url,
            "pay_url": pay_url,
            "bank": self.partner_bank_id,
            "message": self._agency_invoice_message(),
        }

    agency_suggestion_ids = fields.Many2many(
        "agency.recommendation", string="Suggested Services", compute="_compute_agency_suggestion_ids"
    )

    @api.depends("partner_id", "state", "move_type", "company_id", "invoice_line_ids.product_id")
    @api.depends_context("lang")
    def _compute_agency_suggestion_ids(self):
        for move in self:
            partner = move.partner_id.commercial_partner_id
            if move.state != "draft" or move.move_type != "out_invoice" or not partner.id:
                move.agency_suggestion_ids = False
                continue
            move.agency_suggestion_ids = partner.with_company(move.company_id)._agency_suggestions_besides(
                move.invoice_line_ids.product_id
            )

    def _agency_add_suggested_product(self, product):
        """Add a suggested service to this draft invoice."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft invoice can get another service."))
        self.write({"invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1})]})
