from odoo import api, models
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval, time

RECEIPT_REPORT = "agency_billing_reminders.action_report_agency_payment_receipt"

# the largest id PostgreSQL stores in an ``integer`` column: anything above cannot be a record
MAX_ID = 2**31 - 1


class AccountMove(models.Model):
    """Payment receipts in the portal (split by concern): which payments' receipts a customer may download."""

    _inherit = "account.move"

    @api.model
    def _agency_portal_receipt_domain(self, user):
        """The payment entries whose receipt ``user`` may get from the portal: posted money received from
        its client (an inbound customer payment, or a deposit on a bank statement) in the companies of the
        environment; only its own (and its sub-contacts') when its client keeps contacts to their documents."""
        partner = user.partner_id
        domain = Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "=", "entry"),
                ("company_id", "in", self.env.companies.ids),
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ]
        ) & (
            Domain(
                "origin_payment_id",
                "any",
                [("payment_type", "=", "inbound"), ("partner_type", "=", "customer")],
            )
            | Domain("statement_line_id.amount", ">", 0)
        )
        if partner.commercial_partner_id.agency_portal_own_documents:
            domain &= Domain("partner_id", "child_of", partner.id)
        return domain

    def _agency_portal_receipt_filter(self, user):
        """Those of these moves whose receipt ``user`` may download from the portal (in sudo, to render):
        one query, whatever their number; ids no record can have are left out without asking the database."""
        ids = [move_id for move_id in self.ids if isinstance(move_id, int) and 0 < move_id <= MAX_ID]
        if not ids:
            return self.browse().sudo()
        domain = Domain("id", "in", ids) & self._agency_portal_receipt_domain(user)
        return self.sudo().search(domain, order="date desc, id desc")

    @api.model
    def _agency_portal_recent_receipts(self, user, limit=5):
        """The last payments of the user's client that it may see, newest first, with what was received
        (``move``, ``date``, ``amount``, ``currency``, ``reference``): a few queries, whatever their number."""
        moves = self.sudo().search(self._agency_portal_receipt_domain(user), order="date desc, id desc", limit=limit)
        return [{"move": move, **move._agency_receipt_payment_values()} for move in moves]

    def _agency_receipt_filename(self):
        """The name of the receipt's PDF in the environment's language: the one it has when printed or mailed."""
        self.ensure_one()
        report = self.env.ref(RECEIPT_REPORT).sudo()
        return f"{safe_eval(report.print_report_name, {'object': self, 'time': time})}.pdf"

    def _agency_balance_after(self):
        # EXTENDS agency_billing_reminders: a contact kept to its own documents is told what is left on its
        # own invoices (and its sub-contacts') right after this payment, not the whole client's balance
        partner = self._agency_receipt_partner()
        if not partner.commercial_partner_id.agency_portal_own_documents:
            return super()._agency_balance_after()
        documents = self.sudo().search(
            Domain(
                [
                    ("partner_id", "child_of", partner.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                    ("date", "<=", self.date),
                ]
            )
        )
        return sum(self._agency_residual_after(document, company_currency=True) for document in documents)
