from unittest.mock import patch

from odoo.addons.mail.tests.common import MockEmail


class AgencyReceiptMixin(MockEmail):
    """Run the receipt job as the scheduler does (its commits are no-ops in tests) and catch its mails."""

    def _send_receipts(self):
        """The mails the receipt job queues now."""
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0),
            self.mock_mail_gateway(),
        ):
            self.env["account.move"]._cron_agency_send_receipts()
        return self._new_mails

    def _payment_move(self, payments):
        return payments.move_id
