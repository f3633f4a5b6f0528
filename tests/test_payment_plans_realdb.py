"""The payment plans' scheduled action as production runs it (tests/realdb.py): real commits on a database
of its own, Odoo's scheduler, two runs at once, a worker killed mid-run then run again. Each missed plan is
broken once, each note goes once, and the reminders resume for those plans only."""

import unittest

from realdb import RealDatabase

CRON = "agency_billing_reminders.ir_cron_agency_payment_plans"

# 30 clients with a plan of 3 payments made on 2026-11-05 (the first due that day): 20 pay the first payment
# only (their plan breaks after the grace days of the second), 10 pay the first two (their plan runs on)
SETUP = """
from odoo import Command

terms = env.ref("account.account_payment_term_30days")
clients = env["res.partner"].create(
    [
        {
            "name": f"Plan client {index:02d}",
            "is_company": True,
            "email": f"plan{index:02d}@example.com",
            "agency_client_profile": "business",
            "property_payment_term_id": terms.id,
        }
        for index in range(30)
    ]
)
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": "2026-10-01",
            "invoice_payment_term_id": terms.id,
            "invoice_line_ids": [Command.create({"name": "Work", "quantity": 1, "price_unit": 900.0, "tax_ids": []})],
        }
        for partner in clients
    ]
)
moves.action_post()
Plan = env["agency.payment.plan"]
for index, move in enumerate(moves):
    plan = Plan._agency_propose(move, 3, origin="staff", first_now=True)
    paid = sum(plan.line_ids[: 1 if index < 20 else 2].mapped("amount"))
    env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
        {"amount": paid, "payment_date": "2026-11-05"}
    )._create_payments()
result["plans"] = Plan.search([]).ids
"""

SLOW = """
import time
from odoo.addons.agency_billing_reminders.models import agency_payment_plan_run as run
from odoo.addons.agency_billing_reminders.models.agency_payment_plan_run import AgencyPaymentPlan

run.BATCH_SIZE = 5
settle = AgencyPaymentPlan._agency_settle_plans

def slow_settle(self, date):
    changed = settle(self, date)
    self.env.flush_all()
    time.sleep(%(delay)s)
    return changed

AgencyPaymentPlan._agency_settle_plans = slow_settle
"""

BROKEN = "SELECT count(*) FROM agency_payment_plan WHERE state = 'broken'"


class TestPaymentPlansRealCommits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = RealDatabase("plans")
        cls.db.__enter__()
        cls.setup = cls.db.run(SETUP, date="2026-11-05 06:00")

    @classmethod
    def tearDownClass(cls):
        cls.db.__exit__(None, None, None)

    def assertOnce(self):
        db = self.db
        self.assertEqual(db.scalar(BROKEN), 20, "every plan whose payment was missed is broken")
        self.assertEqual(db.scalar("SELECT count(*) FROM agency_payment_plan WHERE state = 'active'"), 10)
        broken_messages = db.sql(
            "SELECT res_id, count(*) FROM mail_message WHERE model = 'agency.payment.plan' "
            "AND body LIKE '%%Payment plan broken%%' GROUP BY res_id"
        )
        self.assertEqual(len(broken_messages), 20)
        self.assertEqual({count for _plan, count in broken_messages}, {1}, "told once per plan")
        notes = db.sql(
            "SELECT message.res_id, message.subject, count(*) FROM mail_mail mail "
            "JOIN mail_message message ON message.id = mail.mail_message_id "
            "WHERE message.model = 'agency.payment.plan.line' GROUP BY message.res_id, message.subject"
        )
        self.assertEqual(len(notes), 20, "a late note for each plan whose second payment is late")
        self.assertEqual({count for _line, _subject, count in notes}, {1}, "each note once")

    def test_1_two_runs_at_once_then_killed_and_run_again(self):
        db = self.db
        # the late note of the second payment, the day after it: two runs at once
        day = "2026-12-06"
        first = db.start(SLOW % {"delay": 0.3}, cron=CRON, date=f"{day} 07:00")
        other = db.start(
            SLOW % {"delay": 0.3} + "\nenv['agency.payment.plan']._cron_agency_payment_plans()\n", date=f"{day} 07:00"
        )
        self.assertEqual(first.wait(timeout=300)["cron"]["failures"], 0)
        other.wait(timeout=300)
        late = db.scalar("SELECT count(*) FROM agency_payment_plan_line WHERE notice_missed_date = %s", [day])
        self.assertEqual(late, 20, "the 20 plans whose second payment is late are told, once")
        self.assertEqual(db.scalar(BROKEN), 0, "within the grace days")
        # the day the grace ends: a worker killed mid-run, then the scheduler's run
        day = "2026-12-11"
        worker = db.start(SLOW % {"delay": 2}, cron=CRON, date=f"{day} 07:00")
        db.wait_until(BROKEN, lambda count: count >= 5, worker=worker, timeout=120)
        worker.kill()
        self.assertLess(db.scalar(BROKEN), 20, "killed before the end")
        self.assertEqual(db.run_cron(CRON, date=f"{day} 08:00")["failures"], 0)
        self.assertEqual(db.run_cron(CRON, date=f"{day} 20:00")["failures"], 0)
        self.assertOnce()
        # the reminders resume for the broken plans only: one message per broken plan's client
        db.run_cron("agency_billing_reminders.ir_cron_agency_send_reminders", date=f"{day} 21:00")
        reminded = db.scalar("SELECT count(DISTINCT partner_id) FROM agency_reminder_message WHERE date = %s", [day])
        self.assertEqual(reminded, 20)


if __name__ == "__main__":
    unittest.main()
