import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import split_every

RECEIPT_BATCH_SIZE = 50

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_receipt_state = fields.Selection(
        [("to_send", "To send"), ("sent", "Sent"), ("skipped", "Not sent")],
        string="Payment Receipt",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The thank-you receipt of this payment: sent once, after the payment is matched with an invoice.",
    )
    agency_receipt_date = fields.Datetime(string="Receipt Sent On", copy=False, readonly=True)

    # ------------------------------------------------------------------
    # BUSINESS: what a receipt is for
    # ------------------------------------------------------------------

    def _agency_is_receipt_invoice(self):
        """A posted customer invoice (what a receipt says was paid)."""
        self.ensure_one()
        return self.state == "posted" and self.move_type in ("out_invoice", "out_receipt")

    def _agency_is_receipt_payment(self):
        """Money received from a customer: an inbound payment or a bank statement line (a deposit)."""
        self.ensure_one()
        if self.origin_payment_id:
            payment = self.origin_payment_id
            return payment.payment_type == "inbound" and payment.partner_type == "customer"
        return bool(self.statement_line_id) and self.statement_line_id.amount > 0

    def _agency_receipt_invoices(self):
        """``{invoice: amount paid by this payment, in the invoice's currency}``."""
        self.ensure_one()
        paid = {}
        for line in self._agency_receivable_lines():
            for partial in line.matched_debit_ids:
                invoice = partial.debit_move_id.move_id
                if invoice._agency_is_receipt_invoice():
                    paid[invoice] = paid.get(invoice, 0.0) + partial.debit_amount_currency
        return paid

    def _agency_receipt_partner(self):
        """Who is thanked: the invoice address of the invoices paid, else the payment's partner."""
        self.ensure_one()
        invoices = self.env["account.move"].union(*self._agency_receipt_invoices())
        return invoices[:1].partner_id or self.partner_id

    def _agency_receipt_recipients(self):
        """Who gets the receipt: the client's billing contacts, as for its reminders
        (``res.partner._agency_reminder_recipients``)."""
        self.ensure_one()
        invoices = self.env["account.move"].union(*self._agency_receipt_invoices())
        partner = self._agency_receipt_partner()
        return partner.commercial_partner_id._agency_reminder_recipients(invoices or self)

    def _agency_receipt_recipients_csv(self):
        """The recipients' ids, for the mail template."""
        return ",".join(str(partner_id) for partner_id in self._agency_receipt_recipients().ids)

    def _agency_receipt_payment_values(self):
        """What was received: ``{'date', 'amount', 'currency', 'reference'}`` (the receipt's header)."""
        self.ensure_one()
        payment, statement_line = self.origin_payment_id, self.statement_line_id
        if payment:
            amount, currency, reference = payment.amount, payment.currency_id, payment.memo or payment.name
        elif statement_line:
            amount, currency, reference = statement_line.amount, statement_line.currency_id, statement_line.payment_ref
        else:
            amount, currency, reference = abs(self.amount_total_signed), self.company_currency_id, self.ref
        return {"date": self.date, "amount": amount, "currency": currency, "reference": reference or self.name}

    def _agency_receipt_values(self):
        """What the receipt says, for the mail and the PDF alike."""
        self.ensure_one()
        partner = self._agency_receipt_partner().commercial_partner_id
        balance = partner.with_company(self.company_id)._agency_account_summary(self.date)[partner.id]["balance"]
        lines = [
            {
                "invoice": invoice,
                "amount": amount_paid,
                "currency": invoice.currency_id,
                "residual": invoice.amount_residual,
            }
            for invoice, amount_paid in sorted(self._agency_receipt_invoices().items(), key=lambda item: item[0].id)
        ]
        return {
            **self._agency_receipt_payment_values(),
            "lines": lines,
            "balance": balance,
            "balance_currency": self.company_id.currency_id,
        }

    def _agency_receipt_enabled(self):
        """Receipts are on for the client's cadence (its own, else its profile's); on without a cadence."""
        self.ensure_one()
        partner = self._agency_receipt_partner().commercial_partner_id
        cadence = self.env["agency.reminder.cadence"]._agency_cadence_for(partner, self.company_id)[partner.id]
        return not cadence or cadence.send_receipts

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_agency_send_receipts(self):
        """Send the receipts of the payments matched since the last run, a batch per commit. Triggered as soon
        as a payment is matched (see ``account.partial.reconcile``); also scheduled as a safety net."""
        pending = self.search([("agency_receipt_state", "=", "to_send")], order="id")
        done = 0
        for batch in split_every(RECEIPT_BATCH_SIZE, pending.ids, self.browse):
            for move in batch:
                move._agency_send_receipt_safely()
            done += len(batch)
            if self.env["ir.cron"]._commit_progress(len(batch), remaining=len(pending) - done) <= 0:
                return

    def _agency_send_receipt_safely(self):
        """One payment's receipt; one that cannot be made (a template edited wrong...) is set aside with a note
        instead of holding up every receipt after it. Concurrency errors are raised, to be retried."""
        try:
            with self.env.cr.savepoint():
                self._agency_send_receipts()
        except psycopg2.OperationalError:
            raise
        except Exception as error:  # set aside and say why: the others go on
            _logger.warning("The payment receipt of %s could not be sent", self.name, exc_info=True)
            self.agency_receipt_state = "skipped"
            self.message_post(
                body=self.env._("The payment receipt could not be sent: %s", error), subtype_xmlid="mail.mt_note"
            )

    def _agency_send_receipts(self):
        """The receipt mail of each payment, queued in Odoo's mail queue in the same transaction as the flag
        that says it was sent: a crash rolls both back, a payment gets one receipt."""
        template = self.env.ref("agency_billing_reminders.mail_template_payment_receipt")
        for move in self.try_lock_for_update().filtered(lambda move: move.agency_receipt_state == "to_send"):
            recipients = move._agency_receipt_recipients() if move._agency_receipt_invoices() else False
            if not (move.state == "posted" and recipients and move._agency_receipt_enabled()):
                move.agency_receipt_state = "skipped"
                continue
            template.send_mail(move.id, force_send=False, email_layout_xmlid="mail.mail_notification_light")
            move.write({"agency_receipt_state": "sent", "agency_receipt_date": fields.Datetime.now()})
            move.message_post(
                body=self.env._("Payment receipt sent to %s.", ", ".join(recipients.mapped("email_formatted"))),
                subtype_xmlid="mail.mt_note",
            )
