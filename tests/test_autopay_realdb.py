"""The autopay run as production runs it (tests/realdb.py): real commits on a database of its own, the
scheduled action through Odoo's scheduler, a worker killed with SIGKILL between sending a transaction and
committing, two runs at once. Never two charges of one installment, never a client missed.
"""

import time
import unittest

from realdb import RealDatabase

CRON = "agency_billing_reminders.ir_cron_agency_autopay"

# 30 clients on autopay with the demo provider, each with an invoice due today (30 days terms)
SETUP = """
from dateutil.relativedelta import relativedelta
from odoo import Command, fields

today = fields.Date.context_today(env.user)
provider = env["payment.provider"].search([("code", "=", "demo"), ("company_id", "=", env.company.id)], limit=1)
provider.write({"state": "test", "is_published": True, "allow_tokenization": True})
terms = env.ref("account.account_payment_term_30days")
clients = env["res.partner"].create(
    [
        {
            "name": f"Autopay client {index:02d}",
            "is_company": True,
            "email": f"autopay{index:02d}@example.com",
            "agency_client_profile": "business",
            "property_payment_term_id": terms.id,
        }
        for index in range(30)
    ]
)
method = env.ref("payment_demo.payment_method_demo")
for client in clients:
    token = env["payment.token"].create(
        {
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "partner_id": client.id,
            "payment_details": "4242",
            "provider_ref": f"demo-{client.id}",
            "demo_simulated_state": "done",
        }
    )
    env["agency.autopay.mandate"].with_context(agency_autopay_consent=True).create(
        {"partner_id": client.id, "company_id": env.company.id, "token_id": token.id, "state": "on"}
    )
result["clients"] = clients.ids
"""

INVOICES = """
from dateutil.relativedelta import relativedelta
from odoo import Command, fields

today = fields.Date.context_today(env.user)
terms = env.ref("account.account_payment_term_30days")
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": client,
            "invoice_date": today - relativedelta(days=30),
            "invoice_payment_term_id": terms.id,
            "invoice_line_ids": [
                Command.create({"name": "Retainer", "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.clear()]})
            ],
        }
        for client in %(clients)s
    ]
)
moves.action_post()
result["moves"] = moves.ids
"""

# small batches; after the transactions of a batch are sent (the demo provider answers at once) and before
# that is committed, a pause: the worker is killed there, or a second run overlaps
SLOW = """
import time
from odoo.addons.agency_billing_reminders.models import agency_autopay_mandate, agency_autopay_charge
from odoo.addons.agency_billing_reminders.models.agency_autopay_charge import AgencyAutopayCharge

agency_autopay_mandate.BATCH_SIZE = 5
agency_autopay_charge.STALE_MINUTES = %(stale)s
send = AgencyAutopayCharge._agency_autopay_send

def slow_send(self, date):
    sent = send(self, date)
    self.env.flush_all()
    time.sleep(%(delay)s)
    return sent

AgencyAutopayCharge._agency_autopay_send = slow_send
"""

SENDING = "SELECT count(*) FROM agency_autopay_charge WHERE state = 'sending'"


class TestAutopayRealCommits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = RealDatabase("autopay")
        cls.db.__enter__()
        cls.clients = cls.db.run(SETUP, date="2026-12-01 06:00")["clients"]

    @classmethod
    def tearDownClass(cls):
        cls.db.__exit__(None, None, None)

    def _invoices(self, day):
        return self.db.run(INVOICES % {"clients": self.clients}, date=f"{day} 06:00")["moves"]

    def assertChargedOnce(self, moves, unconfirmed=()):
        db = self.db
        rows = db.sql(
            "SELECT rel.invoice_id, count(*) FILTER (WHERE tx.state = 'done'), count(*) "
            "FROM account_invoice_transaction_rel rel JOIN payment_transaction tx ON tx.id = rel.transaction_id "
            "WHERE rel.invoice_id = ANY(%s) GROUP BY rel.invoice_id",
            [moves],
        )
        done = {move: count for move, count, _total in rows}
        total = {move: count for move, _done, count in rows}
        self.assertEqual(set(total), set(moves), "every installment tried")
        self.assertEqual(set(total.values()), {1}, "one transaction per installment")
        expected = {move: 0 if move in unconfirmed else 1 for move in moves}
        self.assertEqual(done, expected, "paid once, but the unconfirmed ones")
        payments = db.sql(
            "SELECT inv.id, count(DISTINCT pay.id) FROM account_move inv "
            "JOIN account_move_line line ON line.move_id = inv.id AND line.display_type = 'payment_term' "
            "JOIN account_partial_reconcile part ON part.debit_move_id = line.id "
            "JOIN account_move_line pline ON pline.id = part.credit_move_id "
            "JOIN account_payment pay ON pay.move_id = pline.move_id "
            "WHERE inv.id = ANY(%s) GROUP BY inv.id",
            [moves],
        )
        self.assertEqual({count for _inv, count in payments}, {1}, "one payment per paid installment")
        self.assertEqual(len(payments), len(moves) - len(unconfirmed))
        self.assertEqual(db.scalar(SENDING), 0, "nothing left sending")

    def test_1_killed_between_transaction_and_commit(self):
        db, day = self.db, "2026-12-01"
        moves = self._invoices(day)
        worker = db.start(SLOW % {"delay": 60, "stale": 5}, cron=CRON, date=f"{day} 08:00")
        # the first batch's rows and transactions are committed before sending; the worker then sends
        # them and pauses before committing: killed there
        db.wait_until(
            "SELECT count(*) FROM agency_autopay_charge WHERE state = 'sending'",
            lambda count: count >= 5,
            worker=worker,
            timeout=180,
        )
        time.sleep(3)
        worker.kill()
        stuck = db.sql("SELECT id FROM agency_autopay_charge WHERE state = 'sending'")
        self.assertEqual(len(stuck), 5, "one batch was sent and not committed")
        drafts = db.scalar(
            "SELECT count(*) FROM agency_autopay_charge c JOIN payment_transaction tx ON tx.id = c.transaction_id "
            "WHERE c.state = 'sending' AND tx.state = 'draft'"
        )
        self.assertEqual(drafts, 5, "what the killed worker sent is not known to the database")
        unconfirmed = [
            move
            for (move,) in db.sql(
                "SELECT rel.account_move_id FROM agency_autopay_charge c "
                "JOIN account_move_agency_autopay_charge_rel rel ON rel.agency_autopay_charge_id = c.id "
                "WHERE c.state = 'sending'"
            )
        ]
        # the scheduler runs again (the stale rows are resolved at once here): never sent again blindly
        outcome = db.run(SLOW % {"delay": 0, "stale": 0}, cron=CRON, date=f"{day} 20:00")["cron"]
        self.assertEqual(outcome["failures"], 0)
        self.assertChargedOnce(moves, unconfirmed=unconfirmed)
        states = dict(db.sql("SELECT state, count(*) FROM agency_autopay_charge GROUP BY state"))
        self.assertEqual(states, {"done": 25, "unknown": 5})
        # a late confirmation from the provider still pays an unconfirmed one, once
        late = db.run(
            "charge = env['agency.autopay.charge'].search([('state', '=', 'unknown')], limit=1)\n"
            "charge.transaction_id._set_done()\n"
            "charge.transaction_id._post_process()\n"
            "result['move'] = charge.move_ids.id\n",
            date=f"{day} 21:00",
        )["move"]
        self.assertEqual(db.scalar("SELECT count(*) FROM agency_autopay_charge WHERE state = 'unknown'"), 4)
        db.run_cron(CRON, date="2026-12-02 08:00")
        self.assertChargedOnce(moves, unconfirmed=[move for move in unconfirmed if move != late])

    def test_2_two_runs_at_once(self):
        db, day = self.db, "2026-12-31"
        moves = self._invoices(day)
        scheduled = db.start(SLOW % {"delay": 0.5, "stale": 5}, cron=CRON, date=f"{day} 08:00")
        other = db.start(
            SLOW % {"delay": 0.5, "stale": 5}
            + "\nresult['sent'] = env['agency.autopay.mandate']._cron_agency_autopay()\n",
            date=f"{day} 08:00",
        )
        self.assertEqual(scheduled.wait(timeout=300)["cron"]["failures"], 0)
        sent = other.wait(timeout=300)["sent"]
        self.assertChargedOnce(moves)
        self.assertEqual(
            db.scalar("SELECT count(*) FROM agency_autopay_charge WHERE date = %s AND state = 'done'", [day]), 30
        )
        self.assertGreaterEqual(sent, 0)
