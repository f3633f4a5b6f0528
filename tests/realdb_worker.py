"""One Odoo process on a real database, as production runs it: real commits, no test transaction.

    python3 tests/realdb_worker.py --config ODOO.conf --db DB [--date "2026-11-05 06:00"]
                                   [--code PYTHON] [--cron XMLID] [--max-rounds N]

- ``--date`` freezes Python's clock (freezegun, ticking) at that moment for the whole process; the
  database keeps its own clock.
- ``--code`` runs PYTHON with ``env`` (superuser) and a ``result`` dict in one transaction, committed
  at the end; ``result`` is printed back as JSON.
- ``--cron`` runs the scheduled action XMLID as Odoo's scheduler does: the job is made ready, then
  taken with Odoo's own job lock (``IrCron._process_jobs_loop``: ``FOR NO KEY UPDATE SKIP LOCKED``,
  progress, ``_commit_progress`` commits, rescheduling) and processed again while it is ready again
  (a job partly done is rescheduled at once), as a cron worker polling the database would.
  While another worker holds the job, this one skips it, as Odoo's does, and looks again a moment
  later (as a worker polling the database), until the job is done.

Used by ``tests/realdb.py``; see there.
"""

import argparse
import contextlib
import json
import sys
import time

RESULT_PREFIX = "REALDB-RESULT "


def run_code(registry, code, result):
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        exec(code, {"env": env, "result": result, "odoo": odoo})
        env.flush_all()


def run_cron(registry, db, xmlid, max_rounds):
    """Process the job like a cron worker, until it is not ready any more; the rounds it took."""
    import odoo
    from odoo import sql_db
    from odoo.tools import SQL

    from odoo.addons.base.models.ir_cron import IrCron

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cron_id = env.ref(xmlid).id
        cr.execute(
            "UPDATE ir_cron SET active = TRUE, nextcall = (now() AT TIME ZONE 'UTC') - interval '1 minute' "
            "WHERE id = %s",
            [cron_id],
        )
    connection = sql_db.db_connect(db)
    rounds = skipped = 0
    while rounds < max_rounds and skipped < 3000:
        with connection.cursor() as cron_cr:
            cron_cr.execute(
                SQL("SELECT 1 FROM ir_cron WHERE id = %s AND %s", cron_id, IrCron._get_ready_sql_condition(cron_cr))
            )
            if not cron_cr.fetchone():
                break
            cron_cr.execute(
                "SELECT 1 FROM ir_cron WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                [cron_id],
            )
            if not cron_cr.fetchone():
                # another worker has the job: as a polling cron worker, look again a moment later
                skipped += 1
                cron_cr.rollback()
                time.sleep(0.2)
                continue
            cron_cr.rollback()
            IrCron._process_jobs_loop(cron_cr, job_ids=[cron_id])
        rounds += 1
    with registry.cursor() as cr:
        cr.execute("SELECT failure_count FROM ir_cron WHERE id = %s", [cron_id])
        (failures,) = cr.fetchone()
    return {"rounds": rounds, "skipped": skipped, "failures": failures}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--date")
    parser.add_argument("--code")
    parser.add_argument("--cron")
    parser.add_argument("--max-rounds", type=int, default=100)
    args = parser.parse_args(argv)

    from odoo.tools import config

    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn", "--max-cron-threads=0"])
    clock = contextlib.nullcontext()
    if args.date:
        from freezegun import freeze_time

        clock = freeze_time(args.date, tick=True)
    result = {}
    with clock:
        from odoo.modules.registry import Registry

        registry = Registry(args.db)
        if args.code:
            run_code(registry, args.code, result)
        if args.cron:
            result["cron"] = run_cron(registry, args.db, args.cron, args.max_rounds)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
