"""Benchmark: one autopay charge run against Odoo's own way of paying invoices with a saved token.

    bin/agency bench autopay [--installments 10000] [--runs 1] [--keep]

1. installs `agency_billing_reminders` and `payment_demo` in `agency_bench_autopay` and builds the data
   fast: the ORM makes one client on autopay (a demo token, a mandate) and one posted invoice due today,
   then SQL copies them to reach N installments across N/2 clients (two invoices each, one installment
   each); a tenth of the clients' tokens fail (demo state "error"); then ANALYZE;
2. for each run, copies that database three times (CREATE DATABASE ... TEMPLATE) and, each in a fresh
   process, runs:
   - ours at N/2 (half of the mandates turned off) and at N: the scheduled action
     `agency.autopay.mandate._cron_agency_autopay()` once, to the end, with its real commits;
   - Odoo's path at N: for each invoice one by one, an offline `payment.transaction` with the client's
     token, `_send_payment_request()`, and `_post_process()` when done (payment, reconciliation), as a
     subscription's automatic payment does it, committed at the end;
3. prints charges per second for both, their ratio, and SQL queries per charge (ours at N/2 and N: flat).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from reminders import copy_sql  # noqa: E402
from run import install, odoo_env, psql  # noqa: E402

MOVE_OVERRIDES = {
    "name": "'APAY/' || lpad(m.n::text, 6, '0')",
    "sequence_prefix": "'APAY/'",
    "sequence_number": "m.n",
    "partner_id": "m.partner_id",
    "commercial_partner_id": "m.partner_id",
    "payment_reference": "'APAY/' || lpad(m.n::text, 6, '0')",
    "access_token": "NULL",
    "agency_billing_key": "NULL",
    "agency_client_code": "NULL",
    "message_main_attachment_id": "NULL",
}


def generate(args):
    from dateutil.relativedelta import relativedelta

    from odoo import Command, fields

    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    today = fields.Date.context_today(env.user)
    provider = env["payment.provider"].search([("code", "=", "demo"), ("company_id", "=", env.company.id)], limit=1)
    provider.write({"state": "test", "is_published": True, "allow_tokenization": True})
    terms = env.ref("account.account_payment_term_30days")
    client = env["res.partner"].create(
        {
            "name": "Bench template",
            "is_company": True,
            "email": "t@example.com",
            "agency_client_profile": "business",
            "property_payment_term_id": terms.id,
        }
    )
    token = env["payment.token"].create(
        {
            "provider_id": provider.id,
            "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
            "partner_id": client.id,
            "payment_details": "4242",
            "provider_ref": "demo-template",
            "demo_simulated_state": "done",
        }
    )
    mandate = (
        env["agency.autopay.mandate"]
        .with_context(agency_autopay_consent=True)
        .create({"partner_id": client.id, "company_id": env.company.id, "token_id": token.id, "state": "on"})
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": client.id,
            "invoice_date": today - relativedelta(days=30),
            "invoice_payment_term_id": terms.id,
            "invoice_line_ids": [
                Command.create({"name": "Retainer", "quantity": 1, "price_unit": 400.0, "tax_ids": [Command.clear()]})
            ],
        }
    )
    invoice.action_post()
    cr.commit()
    clients = args.installments // 2
    cr.execute(
        "CREATE TEMP TABLE bench_client AS SELECT n, nextval('res_partner_id_seq') AS new_id, "
        "nextval('payment_token_id_seq') AS token_id FROM generate_series(1, %s) n",
        [clients],
    )
    name = "'Bench client ' || lpad(m.n::text, 5, '0')"
    sql = copy_sql(
        cr,
        "res_partner",
        "p",
        {
            "name": name,
            "complete_name": name,
            "email": "'client' || m.n || '@example.com'",
            "commercial_partner_id": "m.new_id",
        },
    )
    cr.execute(sql + " FROM bench_client m JOIN res_partner p ON p.id = %s", [client.id])
    sql = copy_sql(
        cr,
        "payment_token",
        "t",
        {
            "partner_id": "m.new_id",
            "provider_ref": "'demo-' || m.n",
            "demo_simulated_state": "CASE WHEN m.n %% 10 = 0 THEN 'error' ELSE 'done' END",
        },
    ).replace("SELECT m.new_id,", "SELECT m.token_id,")
    cr.execute(sql + " FROM bench_client m JOIN payment_token t ON t.id = %s", [token.id])
    sql = copy_sql(cr, "agency_autopay_mandate", "a", {"partner_id": "m.new_id", "token_id": "m.token_id"}).replace(
        "SELECT m.new_id,", "SELECT nextval('agency_autopay_mandate_id_seq'),"
    )
    cr.execute(sql + " FROM bench_client m JOIN agency_autopay_mandate a ON a.id = %s", [mandate.id])
    cr.execute(
        "CREATE TEMP TABLE bench_move AS SELECT c.new_id AS partner_id, nextval('account_move_id_seq') AS new_id, "
        "row_number() OVER () AS n FROM bench_client c, generate_series(1, 2) k"
    )
    cr.execute(
        copy_sql(cr, "account_move", "o", MOVE_OVERRIDES) + " FROM bench_move m JOIN account_move o ON o.id = %s",
        [invoice.id],
    )
    line_sql = copy_sql(
        cr,
        "account_move_line",
        "l",
        {"move_id": "m.new_id", "partner_id": "m.partner_id", "move_name": "'APAY/' || lpad(m.n::text, 6, '0')"},
    ).replace("SELECT m.new_id,", "SELECT nextval('account_move_line_id_seq'),")
    cr.execute(line_sql + " FROM bench_move m JOIN account_move_line l ON l.move_id = %s", [invoice.id])
    # the template client is not part of the run
    cr.execute("UPDATE agency_autopay_mandate SET state = 'off' WHERE id = %s", [mandate.id])
    cr.commit()
    cr.close()
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(args.db)
    close_db(args.db)
    psql(args.config, "ANALYZE", db=args.db)
    print(
        f"  {clients} clients, {clients * 2} installments due today ready in {time.time() - started:.0f} s", flush=True
    )


def measure(args):
    from unittest.mock import patch

    env, cr = odoo_env(args.config, args.db)
    from odoo import Command

    # the first N/2 clients (N/4 at half size) on autopay: a generated database serves smaller sizes too
    clients = args.installments // (4 if args.half else 2)
    cr.execute(
        "UPDATE agency_autopay_mandate SET state = 'off' WHERE state = 'on' AND id NOT IN "
        "(SELECT id FROM agency_autopay_mandate WHERE state = 'on' ORDER BY id LIMIT %s)",
        [clients],
    )
    cr.commit()
    queries_before = cr.sql_log_count
    started = time.perf_counter()
    cpu_started = time.process_time()
    if args.side == "ours":
        with patch.object(type(env["ir.cron"]), "_commit_progress", lambda self, *a, **k: (cr.commit(), 3600.0)[1]):
            env["agency.autopay.mandate"]._cron_agency_autopay()
    else:
        # Odoo's own way, one invoice at a time (what sale_subscription's automatic payment does per order)
        Tx = env["payment.transaction"]
        mandates = env["agency.autopay.mandate"].search([("state", "=", "on")])
        tokens = {mandate.partner_id.id: mandate.token_id for mandate in mandates}
        moves = env["account.move"].search(
            [("partner_id", "in", list(tokens)), ("payment_state", "=", "not_paid"), ("move_type", "=", "out_invoice")],
            order="id",
        )
        for move in moves:
            token = tokens[move.partner_id.id]
            tx = Tx.create(
                {
                    "provider_id": token.provider_id.id,
                    "payment_method_id": token.payment_method_id.id,
                    "token_id": token.id,
                    "amount": move.amount_residual,
                    "currency_id": move.currency_id.id,
                    "partner_id": move.partner_id.id,
                    "operation": "offline",
                    "invoice_ids": [Command.set(move.ids)],
                }
            )
            tx._send_payment_request()
            if tx.state == "done":
                tx._post_process()
        env.flush_all()
        cr.commit()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    queries = cr.sql_log_count - queries_before
    cr.execute(
        "SELECT count(*), count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'error') "
        "FROM payment_transaction WHERE operation = 'offline'"
    )
    charges, done, failed = cr.fetchone()
    cr.execute(
        "SELECT count(*) FROM account_move WHERE name LIKE 'APAY/%%' AND payment_state IN ('paid', 'in_payment')"
    )
    paid = cr.fetchone()[0]
    cr.close()
    print(
        "RESULT "
        + json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,
                "queries": queries,
                "charges": charges,
                "done": done,
                "failed": failed,
                "paid": paid,
            }
        ),
        flush=True,
    )


def run_side(args, side, half=False):
    copy = f"{args.db}_run"
    psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
    psql(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.db}"')
    command = [
        sys.executable,
        os.path.join(HERE, "autopay.py"),
        "--config",
        args.config,
        "--db",
        copy,
        "--measure",
        side,
    ]
    command += ["--installments", str(args.installments)]
    if half:
        command.append("--half")
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
    if process.returncode:
        sys.exit(f"the {side} run failed:\n{process.stderr[-3000:]}")
    line = next(line for line in process.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_autopay")
    parser.add_argument("--installments", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated database")
    parser.add_argument("--measure", choices=("ours", "odoo"), help=argparse.SUPPRESS)
    parser.add_argument("--half", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        args.side = args.measure
        return measure(args)
    if not args.keep:
        install(args.config, args.db, "agency_billing_reminders,payment_demo")
        print(f"generating {args.installments} installments across {args.installments // 2} clients", flush=True)
        generate(args)
    ratios = []
    for run in range(args.runs):
        print(f"run {run + 1}:", flush=True)
        results = {}
        for label, side, half in (
            ("ours at N/2", "ours", True),
            ("ours at N", "ours", False),
            ("Odoo's path at N", "odoo", False),
        ):
            r = results[label] = run_side(args, side, half=half)
            print(
                f"  {label:17} {r['charges']:6} charges ({r['done']} done, {r['failed']} failed, {r['paid']} invoices "
                f"paid) in {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s): {r['charges'] / r['seconds']:.1f} charges/s, "
                f"{r['queries'] / max(r['charges'], 1):.1f} SQL queries per charge",
                flush=True,
            )
        ratio = results["Odoo's path at N"]["seconds"] / results["ours at N"]["seconds"]
        ratios.append(ratio)
        print(f"  ratio (Odoo's time / ours): {ratio:.2f}x", flush=True)
    if args.runs > 1:
        print(f"median ratio: {statistics.median(ratios):.2f}x", flush=True)
    return None


if __name__ == "__main__":
    main()
