"""Benchmark: the customer portal under load, beside Odoo's own invoice list.

    bin/agency bench portal [--customers 20] [--invoices 500] [--duration 60] [--interval 2] [--workers 4]

1. installs the three addons in `agency_bench_portal` and generates N customers (default 20), each a
   client company with a portal user (`bench.portal.NN`, same password) and M invoices (default 500):
   two invoices per customer are made by the ORM (one consolidated invoice of two projects, one paid by
   a registered payment), the others are SQL copies of the first one
   (`agency_billing_portal/tests/bulk.py`: `INSERT ... SELECT ... generate_series`, about a second for
   10,000 invoices where the ORM would need half an hour on 2 cores); then ANALYZE;
2. starts Odoo in multi-worker mode (prefork, `--workers 4`, no cron) on 127.0.0.1;
3. each simulated customer logs in, then loads one page every 2 seconds for a minute, in turn: my
   account, the statement, the invoice list filtered by our status filter, an invoice page, the
   statement as PDF, and Odoo's own invoice list (`/my/invoices`) as the yardstick;
4. prints p50 / p95 / max per page in milliseconds, each page's p95 against Odoo's list, and whether
   the targets hold (p95 under 300 ms for the HTML pages, none slower than 1.5 x Odoo's list).

The statement PDF of the default period is served as the product serves it: prepared by the product's
scheduled action (run once after the data is generated, as it runs each night and after each billing
run) and stored until what it prints changes. Alone, the first download of a period nobody asked for
before is measured too: that one waits for wkhtmltopdf.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run import install, odoo_env, psql  # noqa: E402

ADDONS = "agency_billing,agency_billing_reminders,agency_billing_portal"
PAGES = [
    ("account", "/my/account/billing"),
    ("statement", "/my/account/statement"),
    ("invoice list (open)", "/my/invoices?filterby=open"),
    ("invoice page", "/my/invoices/{invoice}"),
    ("statement PDF", "/my/account/statement/pdf"),
    ("Odoo /my/invoices", "/my/invoices"),
]
HTML_PAGES = {"account", "statement", "invoice list (open)", "invoice page"}
BASELINE = "Odoo /my/invoices"
COLD_PDF = "PDF, new period (cold)"
COLD_PERIOD_END = "2026-06-30"


# --------------------------------------------------------------------------- dataset
def generate(args):
    from odoo.fields import Command

    from odoo.addons.agency_billing_portal.tests.bulk import clone_invoices

    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
    portal_group = env.ref("base.group_portal")
    for index in range(args.customers):
        client = env["res.partner"].create(
            {
                "name": f"Bench customer {index:02d}",
                "is_company": True,
                "agency_billing_policy": "retainer",
                "agency_client_code": f"BC{index:02d}",
            }
        )
        login = f"bench.portal.{index:02d}"
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Portal {index:02d}",
                    "login": login,
                    "password": login,
                    "group_ids": [Command.set(portal_group.ids)],
                    "parent_id": client.id,
                }
            )
        )
        user.partner_id.parent_id = client
        model, paid = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": client.id,
                    "invoice_date": date,
                    "invoice_line_ids": [
                        Command.create({"display_type": "line_section", "name": "Website redesign"}),
                        Command.create({"name": "Design", "quantity": 10, "price_unit": 120.0, "tax_ids": []}),
                        Command.create({"display_type": "line_section", "name": "Brand campaign"}),
                        Command.create({"name": "Campaign", "quantity": 1, "price_unit": 800.0, "tax_ids": []}),
                    ],
                }
                for date in ("2026-11-01", "2026-10-01")
            ]
        )
        (model | paid).action_post()
        env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {"payment_date": "2026-10-15"}
        )._create_payments()
        clone_invoices(model, args.invoices - 2, days_apart=1)
        cr.commit()
        print(
            f"  customer {index + 1}/{args.customers}: {args.invoices} invoices ({time.time() - started:.0f} s)",
            flush=True,
        )
    cr.close()
    psql(args.config, "ANALYZE", db=args.db)


# --------------------------------------------------------------------------- load
def start_server(args):
    log = os.path.join(ROOT, ".local", "bench-portal-odoo.log")
    launcher = [os.path.join(HERE, "odoo_server.py")]
    process = subprocess.Popen(
        [
            sys.executable,
            *launcher,
            "-c",
            args.config,
            "-d",
            args.db,
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            f"--http-port={args.port}",
            "--http-interface=127.0.0.1",
            f"--gevent-port={args.port + 1}",
            "--limit-time-real=300",
            "--limit-time-cpu=300",
            "--limit-memory-soft=2147483648",
            "--limit-memory-hard=2684354560",
            f"--logfile={log}",
            "--log-level=warn",
        ],
        cwd=ROOT,
    )
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{args.port}/web/login", timeout=2).status == 200:
                return process
        except OSError:
            time.sleep(1)
    process.terminate()
    raise SystemExit(f"Odoo did not start, see {log}")


def login(base, user):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(f"{base}/web/login", data={"login": user, "password": user, "csrf_token": csrf}, timeout=30)
    return session


def customer(base, index, args, context):
    invoice_ids, results, start_at = context
    session = login(base, f"bench.portal.{index:02d}")
    invoice = invoice_ids[index]
    time.sleep(max(0.0, start_at - time.time()) + index * args.interval / args.customers)  # spread the arrivals
    end = start_at + args.duration
    tick = 0
    while time.time() < end:
        name, path = PAGES[(tick + index) % len(PAGES)]
        began = time.time()
        try:
            status = session.get(base + path.format(invoice=invoice), timeout=120).status_code
        except requests.RequestException:
            status = 0
        results.append((name, (time.time() - began) * 1000, status))
        tick += 1
        time.sleep(max(0.0, began + args.interval - time.time()))


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def prepare(args):
    """The database (generated unless --keep), the first invoice of each customer, the server's own URLs."""
    if not args.keep:
        install(args.config, args.db, ADDONS)
        print(f"generating {args.customers} customers x {args.invoices} invoices", flush=True)
        generate(args)
    env, cr = odoo_env(args.config, args.db)
    invoice_ids = []
    for index in range(args.customers):
        user = env["res.users"].search([("login", "=", f"bench.portal.{index:02d}")])
        domain = [("partner_id", "child_of", user.commercial_partner_id.id), ("move_type", "=", "out_invoice")]
        invoice_ids.append(env["account.move"].search(domain, order="id", limit=1).id)
    # wkhtmltopdf fetches the report's styles from `report.url`: pointed at this server, a PDF waits for
    # a free worker while every worker waits for its PDF (deadlock under load). Production gives the PDF
    # its own URL; here the fetch is refused at once (PDFs without web fonts), as on a fresh install
    # where nothing listens on web.base.url.
    for key, value in (
        ("report.url", "http://127.0.0.1:9"),
        ("web.base.url", f"http://127.0.0.1:{args.port}"),
        ("web.base.url.freeze", "True"),
    ):
        env["ir.config_parameter"].set_param(key, value)
    cr.commit()
    # the product's scheduled action, as it runs each night and after each billing run: each client's
    # statement of the default period is rendered once and stored until what it prints changes
    began = time.time()
    env["agency.statement.document"]._cron_prepare_statements()
    # the periods of the cold measurement were never asked for (a kept database has them from before)
    env["agency.statement.document"].search([("date_to", "=", COLD_PERIOD_END)]).unlink()
    cr.commit()
    print(f"statements prepared for {args.customers} customers in {time.time() - began:.1f} s", flush=True)
    cr.close()
    return invoice_ids


def measure(args, invoice_ids):
    """Loads alone (one customer, page after page), then under load; returns (solo, results, load averages)."""
    server = start_server(args)
    base = f"http://127.0.0.1:{args.port}"
    results = []
    try:
        # one warm-up load of every page (first render of each template compiles it)
        warm = login(base, "bench.portal.00")
        for _name, path in PAGES:
            warm.get(base + path.format(invoice=invoice_ids[0]), timeout=120)
        solo = {name: [] for name, _path in PAGES} | {COLD_PDF: []}
        for _round in range(args.solo_rounds):
            for name, path in PAGES:
                began = time.time()
                warm.get(base + path.format(invoice=invoice_ids[0]), timeout=120)
                solo[name].append((time.time() - began) * 1000)
        # the first download of a period nobody asked for before: wkhtmltopdf renders it (then it is stored)
        for day in range(1, args.solo_rounds + 1):
            began = time.time()
            period = f"date_from=2026-01-{day:02d}&date_to={COLD_PERIOD_END}"
            warm.get(f"{base}/my/account/statement/pdf?{period}", timeout=120)
            solo[COLD_PDF].append((time.time() - began) * 1000)
        load_before = os.getloadavg()[0]
        start_at = time.time() + 2
        threads = [
            threading.Thread(target=customer, args=(base, index, args, (invoice_ids, results, start_at)))
            for index in range(args.customers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return solo, results, (load_before, os.getloadavg()[0])


def report(args, solo, results, loads):
    print(f"\nalone (one customer, {args.solo_rounds} loads of each page), median ms:")
    for name in solo:
        print(f"  {name:<22} {statistics.median(solo[name]):>8.0f}")
    print(f"machine load average before / after: {loads[0]:.1f} / {loads[1]:.1f} on {os.cpu_count()} cores")
    errors = [r for r in results if r[2] != 200]
    by_page = {name: [ms for page, ms, status in results if page == name and status == 200] for name, _p in PAGES}
    base_p95 = percentile(by_page[BASELINE], 95) if by_page[BASELINE] else float("nan")
    print(
        f"\nunder load: {args.customers} customers x {args.invoices} invoices, one page every {args.interval:g} s "
        f"for {args.duration} s, {args.workers} workers; {len(results)} loads, {len(errors)} errors"
    )
    print(f"{'page':<22} {'loads':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/Odoo':>9}  target")
    verdicts = []
    for name, _path in PAGES:
        values = by_page[name]
        if not values:
            print(f"{name:<22} no successful load")
            verdicts.append(False)
            continue
        p50, p95 = statistics.median(values), percentile(values, 95)
        ratio = p95 / base_p95
        ok = ratio <= 1.5 and (name not in HTML_PAGES or p95 < 300)
        if name != BASELINE:
            verdicts.append(ok)
        target = "" if name == BASELINE else ("ok" if ok else "MISSED")
        print(f"{name:<22} {len(values):>5} {p50:>8.0f} {p95:>8.0f} {max(values):>8.0f} {ratio:>9.2f}  {target}")
    print(
        "targets: p95 < 300 ms for HTML pages, no page slower than 1.5 x Odoo's list:",
        "met" if all(verdicts) and not errors else "NOT met",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_portal")
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--invoices", type=int, default=500)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=18769)
    parser.add_argument("--solo-rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated database")
    args = parser.parse_args()
    invoice_ids = prepare(args)
    report(args, *measure(args, invoice_ids))


if __name__ == "__main__":
    main()
