from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        # EXTENDS payment: an autopay charge follows its transaction when the provider confirms or refuses
        # it after the run (a webhook, a pending payment done days later)
        result = super()._post_process()
        charges = (
            self.env["agency.autopay.charge"]
            .sudo()
            .search([("transaction_id", "in", self.ids), ("state", "in", ("sending", "pending", "unknown", "failed"))])
        )
        charges._agency_autopay_sync()
        return result

    def _agency_autopay_cannot_retry(self):
        """Whether the provider's answer says another try cannot help: the payment method refused or
        revoked (cancelled transaction, token archived by the provider). Providers' modules may add their
        own codes (expired card, authentication required)."""
        self.ensure_one()
        return self.state == "cancel" or not self.token_id.active
