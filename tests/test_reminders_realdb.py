"""The reminder run as production runs it (tests/realdb.py): real commits on a database of its own, the
scheduled action through Odoo's scheduler, a worker killed with SIGKILL mid-batch and run again, two runs
at once. Each step goes out once per client, company and installment: no message twice, no client missed.
"""

import unittest

from realdb import RealDatabase

CRON = "agency_billing_reminders.ir_cron_agency_send_reminders"

# 40 clients with an invoice of the first company, 10 of them also one of a second company with the same
# numbers (as in the demo): 50 messages, one per client and company
SETUP = """
from dateutil.relativedelta import relativedelta
from odoo import Command, fields

today = fields.Date.context_today(env.user)
first = env.company
second = env["res.company"].create({"name": "Northwind Agency", "currency_id": first.currency_id.id})
env["account.chart.template"].try_loading(first.chart_template or "generic_coa", second, install_demo=False)
env.user.company_ids |= second
terms = env.ref("account.account_payment_term_30days")
clients = env["res.partner"].create(
    [
        {
            "name": f"Realdb client {index:02d}",
            "is_company": True,
            "email": f"client{index:02d}@example.com",
            "agency_client_profile": "business",
            "property_payment_term_id": terms.id,
        }
        for index in range(40)
    ]
)
for company, partners in ((first, clients), (second, clients[:10])):
    moves = env["account.move"].with_company(company).create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": today - relativedelta(days=33),  # due 3 days ago: the first reminder
                "invoice_payment_term_id": terms.id,
                "invoice_line_ids": [Command.create({"name": "Work", "quantity": 1, "price_unit": 100.0})],
            }
            for partner in partners
        ]
    )
    moves.action_post()
result["clients"] = clients.ids
result["companies"] = [first.id, second.id]
"""

# small batches, each slow to finish (its logs, messages and mails written, not committed): a worker is
# killed in the middle of one, and two workers overlap
SLOW = """
import time
from odoo.addons.agency_billing_reminders.models import res_partner_reminder_run as run
from odoo.addons.agency_billing_reminders.models.agency_reminder_message_send import AgencyReminderMessage

run.BATCH_SIZE = 10
send = AgencyReminderMessage._agency_send

def slow_send(self, clients, date, origin):
    messages = send(self, clients, date, origin)
    self.env.flush_all()
    time.sleep(%(delay)s)
    return messages

AgencyReminderMessage._agency_send = slow_send
"""

MESSAGES = "SELECT count(*) FROM agency_reminder_message WHERE date = %s"


class TestRemindersRealCommits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = RealDatabase("reminders")
        cls.db.__enter__()
        cls.setup = cls.db.run(SETUP, date="2026-11-05 06:00")
        cls.expected = {(client, cls.setup["companies"][0]) for client in cls.setup["clients"]} | {
            (client, cls.setup["companies"][1]) for client in cls.setup["clients"][:10]
        }

    @classmethod
    def tearDownClass(cls):
        cls.db.__exit__(None, None, None)

    def assertEachStepOnce(self, day, step_days):
        db = self.db
        rows = db.sql(
            "SELECT m.partner_id, m.company_id, count(*) FROM agency_reminder_message m "
            "WHERE m.date = %s GROUP BY m.partner_id, m.company_id",
            [day],
        )
        self.assertEqual({(partner, company) for partner, company, _count in rows}, self.expected, "no client missed")
        self.assertEqual({count for _partner, _company, count in rows}, {1}, "one message per client and company")
        logs = db.sql(
            "SELECT l.line_id, count(*), bool_and(m.company_id = move.company_id) FROM agency_reminder_log l "
            "JOIN agency_reminder_step s ON s.id = l.step_id JOIN agency_reminder_message m ON m.id = l.message_id "
            "JOIN account_move move ON move.id = l.move_id "
            "WHERE l.state = 'sent' AND l.date = %s AND s.days = %s GROUP BY l.line_id",
            [day, step_days],
        )
        self.assertEqual(len(logs), 50, "every installment reminded")
        self.assertEqual({(count, same) for _line, count, same in logs}, {(1, True)}, "once, by its own company")
        mails = db.scalar(
            "SELECT count(*) FROM mail_mail mail JOIN agency_reminder_message m ON m.mail_id = mail.id "
            "WHERE m.date = %s",
            [day],
        )
        orphans = db.scalar(
            "SELECT count(*) FROM mail_mail mail JOIN mail_message message ON message.id = mail.mail_message_id "
            "WHERE message.model = 'agency.reminder.message' "
            "AND message.res_id NOT IN (SELECT id FROM agency_reminder_message)"
        )
        self.assertEqual((mails, orphans), (50, 0), "one mail per message, none left from the killed batch")

    def test_1_killed_mid_batch_then_run_again(self):
        db, day = self.db, "2026-11-05"
        worker = db.start(SLOW % {"delay": 2}, cron=CRON, date=f"{day} 07:00")
        db.wait_until(MESSAGES, lambda count: count >= 20, worker=worker, params=[day], timeout=120)
        worker.kill()  # in the third batch: its messages and mails written, not committed
        done = db.scalar(MESSAGES, [day])
        self.assertGreaterEqual(done, 20)
        self.assertLess(done, 50, "killed before the end")
        outcome = db.run_cron(CRON, date=f"{day} 08:00")
        self.assertEqual(outcome["failures"], 0)
        self.assertEachStepOnce(day, 3)

    def test_2_two_runs_at_once(self):
        """The scheduler's run and another process running the same reminders (a second server's worker
        or staff's *Run manually*), overlapping batch by batch."""
        db, day = self.db, "2026-11-17"  # 15 days late: the second reminder
        scheduled = db.start(SLOW % {"delay": 0.5}, cron=CRON, date=f"{day} 07:00")
        other = db.start(
            SLOW % {"delay": 0.5} + "\nenv['res.partner']._cron_agency_send_reminders()\n", date=f"{day} 07:00"
        )
        self.assertEqual(scheduled.wait(timeout=300)["cron"]["failures"], 0)
        other.wait(timeout=300)
        self.assertEachStepOnce(day, 15)
