"""Benchmark: the agency billing run against Odoo's own consolidated invoicing wizard.

    bin/agency bench [--clients 1000] [--lines-per-project 4] [--projects 3] [--runs 3]

1. generates a dataset in the database of the given config (`agency_bench`): N clients, each with
   one confirmed order per project (3 projects by default) and 4 billable lines per order (12 per
   client), delivered quantities set; then ANALYZE;
2. for each run, copies that database twice (CREATE DATABASE ... TEMPLATE) so that both paths see
   identical data, and in a fresh process per side:
   - ours: `agency.billing.run.action_bill()` for all the clients,
   - Odoo's: `sale.advance.payment.inv` (delivered lines, consolidated billing) on all the orders;
3. prints invoices per second for both, their ratio, SQL queries per invoice, CPU time and peak
   memory: medians of the runs, and the ratio as the median of each run's own ratio (the two
   sides of a run are measured back to back, the first side alternating from run to run).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def odoo_env(config, db):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def psql(config, sql, db="postgres"):
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(["-c", config])
    import psycopg2

    conn = psycopg2.connect(
        host=odoo_config["db_host"], port=odoo_config["db_port"], user=odoo_config["db_user"], dbname=db
    )
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql)
    conn.close()


def install(config, db, modules="agency_billing"):
    """A fresh database ``db`` with ``modules`` installed (the benchmarks' shared set-up)."""
    psql(config, f'DROP DATABASE IF EXISTS "{db}"')
    print(f"installing {modules} in {db}", flush=True)
    command = [sys.executable, "-m", "odoo", "-c", config, "-d", db, "-i", modules, "--stop-after-init"]
    subprocess.run([*command, "--log-level=warn"], check=True)


# --------------------------------------------------------------------------- dataset
def generate(args):
    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    products = env["product.product"].create(
        [
            {
                "name": f"Bench service {i}",
                "type": "service",
                "invoice_policy": "delivery",
                "list_price": 50 + 5 * i,
                "taxes_id": [(5, 0, 0)],
            }
            for i in range(args.lines_per_project)
        ]
    )
    plan = env["account.analytic.plan"].create({"name": "Projects"})
    for start in range(0, args.clients, 50):
        count = min(50, args.clients - start)
        clients = env["res.partner"].create(
            [
                {
                    "name": f"Bench client {start + i:05d}",
                    "is_company": True,
                    "agency_billing_policy": "time_materials",
                    "agency_client_code": f"B{start + i:05d}",
                }
                for i in range(count)
            ]
        )
        # as at an agency, each project has its analytic account (the accountant's project reports)
        names = [f"{client.name} project {p}" for client in clients for p in range(args.projects)]
        accounts = env["account.analytic.account"].create([{"name": name, "plan_id": plan.id} for name in names])
        projects = env["project.project"].create(
            [
                {
                    "name": name,
                    "partner_id": client.id,
                    "allow_billable": True,
                    "account_id": account.id,
                }
                for (name, account), client in zip(
                    zip(names, accounts, strict=True),
                    [client for client in clients for _p in range(args.projects)],
                    strict=True,
                )
            ]
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": project.partner_id.id,
                    "project_id": project.id,
                    "client_order_ref": f"PO-{project.id}",
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 10, "tax_ids": [(5, 0, 0)]})
                        for product in products
                    ],
                }
                for project in projects
            ]
        )
        orders.action_confirm()
        orders.order_line.write({"qty_delivered": 6})
        cr.commit()
        print(f"  generated {start + count}/{args.clients} clients ({time.time() - started:.0f} s)", flush=True)
    cr.close()
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(args.db)
    close_db(args.db)
    psql(args.config, "ANALYZE", db=args.db)


# --------------------------------------------------------------------------- one side
def measure(args):
    env, cr = odoo_env(args.config, args.db)
    orders = env["sale.order"].search([("state", "=", "sale"), ("invoice_status", "=", "to invoice")])
    clients = orders.partner_id.commercial_partner_id
    cr.commit()
    queries_before = cr.sql_log_count
    started = time.perf_counter()
    cpu_started = time.process_time()
    if args.side == "ours":
        run = env["agency.billing.run"].create({"date": time.strftime("%Y-%m-%d")})
        run.action_bill()
        invoices = run.invoice_ids
    else:
        wizard = (
            env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create(
                {
                    "advance_payment_method": "delivered",
                    "consolidated_billing": True,
                    "sale_order_ids": [(6, 0, orders.ids)],
                }
            )
        )
        invoices = wizard._create_invoices(orders)
    env.flush_all()
    cr.commit()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    queries = cr.sql_log_count - queries_before
    lines = len(invoices.invoice_line_ids.filtered("product_id"))
    result = {
        "side": args.side,
        "clients": len(clients),
        "invoices": len(invoices),
        "lines": lines,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "queries": queries,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    cr.close()
    print("RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------------- orchestration
def side_in_subprocess(args, side, db):
    process = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, "run.py"),
            "--config",
            args.config,
            "--db",
            db,
            "--side",
            side,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode:
        sys.exit(f"the {side} side failed:\n{process.stderr[-3000:]}")
    output = process.stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--lines-per-project", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--side", choices=["ours", "odoo"], help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated database")
    args = parser.parse_args()
    if args.side:
        return measure(args)

    if not args.keep:
        install(args.config, args.db)
        print(
            f"generating {args.clients} clients x {args.projects} projects x {args.lines_per_project} lines",
            flush=True,
        )
        generate(args)

    if args.runs < 1:
        print(f"{args.db} is ready; --runs 0 measures nothing")
        return None
    results = {"ours": [], "odoo": []}
    ratios = []  # each run's own ratio: both sides measured back to back, so they share the machine's mood
    for run in range(args.runs):
        # alternate which side goes first, so that a drift of the machine favours neither
        for side in ("ours", "odoo") if run % 2 == 0 else ("odoo", "ours"):
            copy = f"{args.db}_{side}"
            psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
            psql(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.db}"')
            result = side_in_subprocess(args, side, copy)
            psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
            results[side].append(result)
            print(
                f"  run {run + 1} {side:4}: {result['invoices']} invoices, {result['lines']} lines "
                f"in {result['seconds']:.1f} s ({result['cpu_seconds']:.1f} s CPU)",
                flush=True,
            )
        ours, odoo = results["ours"][-1], results["odoo"][-1]
        ratios.append((ours["invoices"] / ours["seconds"]) / (odoo["invoices"] / odoo["seconds"]))
        print(f"  run {run + 1} ratio: {ratios[-1]:.2f}x", flush=True)

    def median(side, key):
        return statistics.median(r[key] for r in results[side])

    rate = {side: median(side, "invoices") / median(side, "seconds") for side in results}
    print()
    print(f"{'':24}{'billing run':>14}{'Odoo wizard':>14}")
    print(f"{'invoices':24}{median('ours', 'invoices'):>14.0f}{median('odoo', 'invoices'):>14.0f}")
    print(f"{'invoice lines':24}{median('ours', 'lines'):>14.0f}{median('odoo', 'lines'):>14.0f}")
    print(f"{'seconds (median)':24}{median('ours', 'seconds'):>14.1f}{median('odoo', 'seconds'):>14.1f}")
    print(f"{'CPU seconds (median)':24}{median('ours', 'cpu_seconds'):>14.1f}{median('odoo', 'cpu_seconds'):>14.1f}")
    print(f"{'invoices per second':24}{rate['ours']:>14.2f}{rate['odoo']:>14.2f}")
    qpi = {side: median(side, "queries") / max(median(side, "invoices"), 1) for side in results}
    print(f"{'SQL queries per invoice':24}{qpi['ours']:>14.1f}{qpi['odoo']:>14.1f}")
    print(f"{'peak memory (MB)':24}{median('ours', 'peak_rss_mb'):>14.0f}{median('odoo', 'peak_rss_mb'):>14.0f}")
    print(f"ratio (billing run / Odoo wizard, invoices per second): {statistics.median(ratios):.2f}x")
    print(f"  median of the {len(ratios)} runs' ratios ({', '.join(f'{r:.2f}' for r in ratios)});")
    print(f"  ratio of the median rates: {rate['ours'] / rate['odoo']:.2f}x")
    return None


if __name__ == "__main__":
    main()
