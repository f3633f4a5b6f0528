"""Benchmark: one full reminder run on 10,000 clients with 50,000 open invoices.

    bin/agency bench reminders [--clients 10000] [--invoices-per-client 5] [--keep] [--runs 1] [--pdf]

1. installs `agency_billing_reminders` in `agency_bench_reminders` and builds the data fast: the ORM
   creates and posts 3 real invoices (one per client profile), then SQL copies them (`INSERT … SELECT`
   of every column of `account_move` and `account_move_line`, with a new number, client and dates per
   copy) to reach N clients × M invoices; clients are SQL copies of one real client. Due dates spread
   from 50 days ago to 99 days ahead, so a third of the invoices is overdue, at varied steps: half of the
   overdue invoices already got the step they reached (a reminder log dated before today), the others
   are due for a step today; the steps attach no PDF unless --pdf (wkhtmltopdf renders about one document
   a second here); then ANALYZE;
2. for each run, copies that database (CREATE DATABASE … TEMPLATE) and, in a fresh process, runs the
   scheduled action `res.partner._cron_agency_send_reminders()` once, to the end (mails queued in
   Odoo's mail queue, not sent);
3. prints the time, reminders (installment steps sent) per second, messages, mails and SQL queries per
   client reminded.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import install, odoo_env, psql  # noqa: E402


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'"
        " ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_sql(cr, table, source_alias, overrides):
    """``INSERT INTO table (cols) SELECT <source col or override> ...``: every column, some overridden."""
    cols = columns(cr, table)
    select = [overrides.get(col, f'{source_alias}."{col}"') for col in cols]
    quoted = ", ".join(f'"{col}"' for col in cols)
    return f"INSERT INTO {table} (id, {quoted}) SELECT m.new_id, {', '.join(select)}"


def generate(args):
    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    today = time.strftime("%Y-%m-%d")
    # real records through the ORM: one client, and one posted invoice per profile
    product = env["product.product"].create({"name": "Bench retainer", "type": "service", "taxes_id": [(5, 0, 0)]})
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1)
    templates = []
    for profile in ("business", "public", "private"):
        client = env["res.partner"].create(
            {
                "name": f"Bench template {profile}",
                "is_company": True,
                "email": "t@example.com",
                "agency_client_profile": profile,
            }
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "journal_id": journal.id,
                "invoice_date": today,
                "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 400.0})],
            }
        )
        invoice.action_post()
        templates.append((client, invoice))
    cr.commit()
    print(f"  templates made ({time.time() - started:.0f} s)", flush=True)

    # clients: SQL copies of the template client of their profile
    cr.execute(
        "CREATE TEMP TABLE bench_client AS SELECT n, nextval('res_partner_id_seq') AS new_id, "
        "(n %% 3) AS profile FROM generate_series(1, %s) n",
        [args.clients],
    )
    cr.execute(
        "CREATE TEMP TABLE bench_template AS SELECT * FROM (VALUES %s) t(profile, partner_id, move_id)"
        % ", ".join(f"({i}, {c.id}, {m.id})" for i, (c, m) in enumerate(templates))
    )
    sql = copy_sql(
        cr,
        "res_partner",
        "p",
        {
            "name": "'Bench client ' || lpad(m.n::text, 5, '0')",
            "complete_name": "'Bench client ' || lpad(m.n::text, 5, '0')",
            "email": "'client' || m.n || '@example.com'",
            "commercial_partner_id": "m.new_id",
        },
    )
    cr.execute(
        sql + " FROM bench_client m JOIN bench_template t ON t.profile = m.profile"
        " JOIN res_partner p ON p.id = t.partner_id"
    )
    print(f"  {args.clients} clients copied ({time.time() - started:.0f} s)", flush=True)

    # invoices: SQL copies of the template invoice of the client's profile; due dates spread over
    # -50 .. +99 days (a third overdue)
    cr.execute(
        """CREATE TEMP TABLE bench_move AS
           SELECT c.new_id AS partner_id, t.move_id AS template_id, nextval('account_move_id_seq') AS new_id,
                  row_number() OVER () AS n,
                  0 AS due_offset, CURRENT_DATE AS due
             FROM bench_client c JOIN bench_template t ON t.profile = c.profile,
                  generate_series(1, %s) k""",
        [args.invoices_per_client],
    )
    # due dates from 50 days ago to 99 days ahead, evenly: a third of the invoices overdue
    cr.execute("UPDATE bench_move SET due = CURRENT_DATE + ((n * 37) % 150)::int - 50")
    sql = copy_sql(
        cr,
        "account_move",
        "o",
        {
            "name": "'BNCH/' || lpad(m.n::text, 6, '0')",
            "sequence_prefix": "'BNCH/'",
            "sequence_number": "m.n",
            "partner_id": "m.partner_id",
            "commercial_partner_id": "m.partner_id",
            "invoice_date": "m.due - 30",
            "date": "m.due - 30",
            "invoice_date_due": "m.due",
            "payment_reference": "'BNCH/' || lpad(m.n::text, 6, '0')",
            "access_token": "NULL",
            "agency_billing_key": "NULL",
            "agency_client_code": "NULL",
            "message_main_attachment_id": "NULL",
        },
    )
    cols = columns(cr, "account_move")
    cr.execute(sql + " FROM bench_move m JOIN account_move o ON o.id = m.template_id")
    line_sql = copy_sql(
        cr,
        "account_move_line",
        "l",
        {
            "move_id": "m.new_id",
            "partner_id": "m.partner_id",
            "move_name": "'BNCH/' || lpad(m.n::text, 6, '0')",
            "date": "m.due - 30",
            "invoice_date": "m.due - 30",
            "date_maturity": "CASE WHEN l.display_type = 'payment_term' THEN m.due ELSE l.date_maturity END",
        },
    ).replace("SELECT m.new_id,", "SELECT nextval('account_move_line_id_seq'),")
    cr.execute(line_sql + " FROM bench_move m JOIN account_move_line l ON l.move_id = m.template_id")
    del cols
    print(f"  {args.clients * args.invoices_per_client} invoices copied ({time.time() - started:.0f} s)", flush=True)

    # half of the overdue invoices already got the step they reached (logged before today)
    cr.execute(
        """WITH reached AS (
               SELECT l.id AS line_id, l.move_id, l.partner_id, l.date_maturity, l.currency_id, l.amount_residual,
                      (SELECT s.id FROM agency_reminder_step s
                         JOIN agency_reminder_cadence cad ON cad.id = s.cadence_id
                        WHERE cad.client_profile = p.agency_client_profile
                          AND s.days <= CURRENT_DATE - l.date_maturity - 1
                     ORDER BY s.days DESC LIMIT 1) AS step_id
                 FROM account_move_line l
                 JOIN bench_move m ON m.new_id = l.move_id
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE l.display_type = 'payment_term' AND m.due < CURRENT_DATE AND m.n % 2 = 0)
           INSERT INTO agency_reminder_log (line_id, move_id, partner_id, step_id, date, date_maturity, channel,
                                            amount, currency_id, state, origin, create_date, write_date)
           SELECT line_id, move_id, partner_id, step_id, CURRENT_DATE - 20, date_maturity, 'email',
                  amount_residual, currency_id, 'sent', 'cron', now(), now()
             FROM reached WHERE step_id IS NOT NULL"""
    )
    print(f"  {cr.rowcount} earlier steps logged ({time.time() - started:.0f} s)", flush=True)
    if not args.pdf:
        # PDFs are rendered by wkhtmltopdf, about a second per document on this machine: left out unless asked
        cr.execute("UPDATE agency_reminder_step SET attach_invoices = FALSE, attach_statement = FALSE")
    cr.commit()
    cr.close()
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(args.db)
    close_db(args.db)
    psql(args.config, "ANALYZE", db=args.db)
    print(f"  data ready in {time.time() - started:.0f} s", flush=True)


def measure(args):
    from unittest.mock import patch

    env, cr = odoo_env(args.config, args.db)
    Partner = env["res.partner"]
    cr.commit()
    overdue = env["account.move"].search_count(env["account.move"]._agency_overdue_domain())
    open_count = env["account.move"].search_count(env["account.move"]._agency_to_remind_domain())
    clients = env["res.partner"].search_count([("name", "=like", "Bench client %")])
    queries_before = cr.sql_log_count
    started = time.perf_counter()
    # the scheduler's commits: real commits, and the run goes to the end in one call
    with patch.object(type(env["ir.cron"]), "_commit_progress", lambda self, *a, **k: (cr.commit(), 3600.0)[1]):
        Partner._cron_agency_send_reminders()
    env.flush_all()
    cr.commit()
    elapsed = time.perf_counter() - started
    queries = cr.sql_log_count - queries_before
    today = time.strftime("%Y-%m-%d")
    cr.execute("SELECT count(*) FROM agency_reminder_log WHERE date = %s AND state = 'sent'", [today])
    sent = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM agency_reminder_log WHERE date = %s AND state = 'held'", [today])
    held = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*), count(DISTINCT partner_id), count(mail_id) FROM agency_reminder_message WHERE date = %s",
        [today],
    )
    messages, clients_reminded, mails = cr.fetchone()
    cr.execute(
        "SELECT count(*) FROM mail_mail mm JOIN mail_message msg ON msg.id = mm.mail_message_id"
        " WHERE msg.model = 'agency.reminder.message' AND mm.state = 'outgoing'"
    )
    queued = cr.fetchone()[0]
    cr.close()
    print(
        "RESULT "
        + json.dumps(
            {
                "clients": clients,
                "open_invoices": open_count,
                "overdue_invoices": overdue,
                "seconds": elapsed,
                "reminders": sent,
                "held": held,
                "messages": messages,
                "clients_reminded": clients_reminded,
                "mails": mails,
                "queued": queued,
                "queries": queries,
            }
        ),
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_reminders")
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--invoices-per-client", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated database")
    parser.add_argument("--pdf", action="store_true", help="keep the PDF attachments of the shipped steps")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args)
    if not args.keep:
        install(args.config, args.db, "agency_billing_reminders")
        print(f"generating {args.clients} clients x {args.invoices_per_client} invoices", flush=True)
        generate(args)
    for run in range(args.runs):
        copy = f"{args.db}_run"
        psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
        psql(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.db}"')
        process = subprocess.run(
            [sys.executable, os.path.join(HERE, "reminders.py"), "--config", args.config, "--db", copy, "--measure"],
            capture_output=True,
            text=True,
            check=False,
        )
        psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
        if process.returncode:
            sys.exit(f"the run failed:\n{process.stderr[-3000:]}")
        line = next(line for line in process.stdout.splitlines() if line.startswith("RESULT "))
        r = json.loads(line[len("RESULT ") :])
        print(
            f"run {run + 1}: {r['clients']} clients, {r['open_invoices']} open invoices, "
            f"{r['overdue_invoices']} overdue",
            flush=True,
        )
        print(
            f"  whole run: {r['seconds']:.1f} s; {r['reminders']} reminders (installment steps) sent, "
            f"{r['reminders'] / r['seconds']:.0f} per second; {r['held']} held back",
            flush=True,
        )
        print(
            f"  {r['messages']} messages to {r['clients_reminded']} clients, {r['mails']} mails queued "
            f"({r['queued']} outgoing); {r['queries'] / max(r['clients_reminded'], 1):.1f} SQL queries per client",
            flush=True,
        )
    return None


if __name__ == "__main__":
    main()
