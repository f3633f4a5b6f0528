from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.agency_billing_reminders.models.res_partner_reminder_send import REMINDER_LOCK_KEY

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestReminderNeverWrong(AgencyReminderCommon):
    """Nothing to a client that has paid, disputes, pays online, promised or is paused; each step once."""

    def _transaction(self, invoice, state):
        provider = self.env["payment.provider"].create({"name": "Dummy", "code": "none", "state": "test"})
        method = self.env.ref("payment.payment_method_unknown")
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": invoice.partner_id.id,
                "reference": f"TX-{invoice.id}",
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        transaction.state = state
        return transaction

    def test_nothing_for_paid_reversed_disputed_pending_promised_paused_or_small(self):
        clients = {
            name: self._client(f"{name.capitalize()} Ltd")
            for name in ("paid", "reversed", "disputed", "pending", "promised", "paused", "small", "late")
        }
        invoices = {name: self._invoice(client, "2026-09-01", 100.0) for name, client in clients.items()}
        small = self._invoice(clients["small"], "2026-09-01", 5.0)
        invoices["small"].button_draft()
        invoices["small"].button_cancel()
        self.cadence_business.sudo().minimum_amount = 20.0
        with freeze_time("2026-09-20"):
            self._register_payment(invoices["paid"])
            invoices["reversed"]._reverse_moves(cancel=True)
            invoices["disputed"]._agency_dispute("Wrong hours billed")
            self._transaction(invoices["pending"], "pending")
            invoices["promised"]._agency_promise_to_pay("2026-10-20")
            clients["paused"]._agency_pause_reminders("2026-10-10", "Annual closing")
        with self.mock_mail_gateway():
            self._run_days("2026-10-01", 10)
        got = {name for name, client in clients.items() if self._messages(client)}
        self.assertEqual(got, {"late"}, "only the late client that has no reason to wait")

        def reasons(name):
            return set(self._logs(clients[name], "held").mapped("reason"))

        self.assertEqual(reasons("promised"), {"promise to pay until 10/20/2026"})
        self.assertEqual(reasons("pending"), {"online payment in progress"})
        self.assertEqual(reasons("small"), {"below the minimum amount of $\xa020.00"})
        self.assertIn("paused until 10/10/2026", self._logs(clients["paused"], "held").mapped("reason"))
        self.assertFalse(self._logs(clients["paid"], "held") | self._logs(clients["disputed"], "held"))
        late_mails = self._new_mails.filtered(lambda mail: mail.model == "agency.reminder.message")
        self.assertEqual(late_mails.recipient_ids, clients["late"], "the note before the due date and a reminder")
        self.assertEqual(small.payment_state, "not_paid")
        # the pause and the promise end: reminders resume, at the step the invoice has reached
        self._run_days("2026-10-11", 1)
        self.assertEqual(self._messages(clients["paused"]).log_ids.step_id.name, "First reminder")
        self._run_days("2026-10-21", 1)
        self.assertEqual(self._messages(clients["promised"]).log_ids.step_id.name, "Second reminder")
        self.assertEqual(len(self._logs(clients["promised"])), 1, "the steps it passed while promised stay held back")

    def test_payment_registered_while_the_run_works_stops_the_message(self):
        invoice = self._invoice(self.client_brand, "2026-09-01", 1000.0)
        Partner = type(self.env["res.partner"])
        lock = Partner._agency_reminder_lock

        def pay_then_lock(partners):
            self._register_payment(invoice)  # a colleague registers the payment meanwhile
            return lock(partners)

        with (
            freeze_time("2026-10-04"),
            self.mock_mail_gateway(),
            patch.object(Partner, "_agency_reminder_lock", pay_then_lock),
        ):
            self._run("2026-10-04")
        self.assertFalse(self._messages(self.client_company))
        self.assertFalse(self._new_mails)
        self.assertEqual(self._logs(self.client_company, "held").reason, "paid on 10/04/2026")

    def test_crash_between_the_mail_and_the_commit_sends_once(self):
        self._invoice(self.client_brand, "2026-09-01", 1000.0)
        Message = type(self.env["agency.reminder.message"])
        channel_mail = Message._agency_channel_mail

        def mail_then_crash(messages, jobs):
            channel_mail(messages, jobs)
            raise MemoryError("worker killed")

        with freeze_time("2026-10-04"), self.mock_mail_gateway():
            with (
                patch.object(Message, "_agency_channel_mail", mail_then_crash),
                mute_logger("odoo.addons.agency_billing_reminders.models.res_partner_reminder_send"),
            ):
                self._run("2026-10-04")
            self.assertFalse(self.env["mail.mail"].search([("model", "=", "agency.reminder.message")]))
            self.assertFalse(self._logs(self.client_company) | self._logs(self.client_company, "held"))
            self._run("2026-10-04")  # the next run
            self._run("2026-10-04")
        self.assertEqual(len(self.env["mail.mail"].search([("model", "=", "agency.reminder.message")])), 1)
        self.assertEqual(len(self._logs(self.client_company)), 1)

    def test_staff_send_now_beside_the_cron_in_a_second_transaction(self):
        """Staff press *Send now* while the scheduled run reaches the same client: one message."""
        client = self.client_company
        self._invoice(self.client_brand, "2026-09-01", 1000.0)
        with self.registry.cursor() as other_cr:
            # the staff member's transaction holds the client while it sends
            other_cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REMINDER_LOCK_KEY, client.id])
            with freeze_time("2026-10-04"):
                self._run("2026-10-04")
            other_cr.rollback()
        self.assertFalse(self._messages(client), "left to the transaction that holds the client")
        with freeze_time("2026-10-04"):
            client.action_agency_send_next_step()
            self._run("2026-10-04")
            self._run("2026-10-04")
        self.assertEqual(len(self._messages(client)), 1)
        self.assertEqual(self._logs(client).origin, "user")

    def test_send_now_sends_the_next_step_before_its_date_once(self):
        self._invoice(self.client_brand, "2026-09-01", 1000.0)
        with freeze_time("2026-10-02"), self.mock_mail_gateway():
            self.client_company.action_agency_send_next_step()  # the note before the due date
            self.client_company.action_agency_send_next_step()  # and the first reminder, ahead of its day
        self.assertEqual(
            self._logs(self.client_company).step_id.mapped("name"),
            ["Friendly note before the due date", "First reminder"],
        )
        self._run_days("2026-10-02", 10)
        self.assertEqual(len(self._logs(self.client_company)), 2, "the run does not send them again")

    def test_a_step_is_logged_once_in_the_database(self):
        self._invoice(self.client_brand, "2026-09-01", 1000.0)
        self._run_days("2026-10-04", 1)
        log = self._logs(self.client_company)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            log.sudo().copy({"date": "2026-10-05"})
