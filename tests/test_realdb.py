"""The real-commit harness itself (tests/realdb.py): separate processes, real commits, Odoo's scheduler path."""

import unittest

from realdb import RealDatabase


class TestRealDatabase(unittest.TestCase):
    def test_commits_cross_processes_and_the_clock_is_frozen(self):
        with RealDatabase("harness") as db:
            made = db.run(
                "p = env['res.partner'].create({'name': 'Harness client'})\n"
                "result['id'] = p.id\n"
                "result['today'] = str(odoo.fields.Date.context_today(p))",
                date="2026-11-05 06:00",
            )
            self.assertEqual(made["today"], "2026-11-05")
            # another process, and a plain connection, see what the first one committed
            seen = db.run(f"result['name'] = env['res.partner'].browse({made['id']}).name")
            self.assertEqual(seen["name"], "Harness client")
            self.assertEqual(db.scalar("SELECT name FROM res_partner WHERE id = %s", [made["id"]]), "Harness client")

    def test_a_scheduled_action_runs_through_odoos_scheduler(self):
        with RealDatabase("harness_cron") as db:
            xmlid = "agency_billing.ir_cron_agency_pilot_notice"
            outcome = db.run_cron(xmlid, date="2026-11-05 06:00")
            self.assertGreaterEqual(outcome["rounds"], 1)
            self.assertEqual(outcome["failures"], 0)
            # Odoo's scheduler rescheduled it after its run (its own progress record, its lastcall)
            progress = db.scalar(
                "SELECT count(*) FROM ir_cron_progress p JOIN ir_model_data d "
                "ON d.res_id = p.cron_id AND d.model = 'ir.cron' AND d.module || '.' || d.name = %s",
                [xmlid],
            )
            self.assertGreaterEqual(progress, 1)

    def test_a_killed_worker_commits_nothing_more(self):
        with RealDatabase("harness_kill") as db:
            worker = db.start(
                "import time\n"
                "env['res.partner'].create({'name': 'Committed first'})\n"
                "env.cr.commit()\n"
                "env['res.partner'].create({'name': 'Never committed'})\n"
                "env.flush_all()\n"
                "time.sleep(600)"
            )
            db.wait_until("SELECT count(*) FROM res_partner WHERE name = 'Committed first'", bool, worker=worker)
            worker.kill()
            self.assertFalse(worker.alive())
            self.assertEqual(db.scalar("SELECT count(*) FROM res_partner WHERE name = 'Never committed'"), 0)
