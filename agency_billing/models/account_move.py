from odoo import api, fields, models
from odoo.fields import Domain

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
    # BUSINESS: what "open" and "overdue" mean, defined once
    # ------------------------------------------------------------------

    @api.model
    def _agency_open_domain(self):
        """Posted customer invoices and credit notes not fully paid yet.

        "In payment" (a payment registered but not yet matched with the bank) counts as paid:
        nobody is chased for money already sent.
        """
        return Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                ("payment_state", "not in", SETTLED_PAYMENT_STATES),
            ]
        )

    @api.model
    def _agency_overdue_domain(self, date=None):
        """Open customer invoices whose due date is before ``date`` (default: today)."""
        date = date or fields.Date.context_today(self)
        return (
            self._agency_open_domain()
            & Domain("move_type", "in", ("out_invoice", "out_receipt"))
            & Domain("invoice_date_due", "<", date)
        )

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
