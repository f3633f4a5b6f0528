"""Benchmark: service suggestions (agency_billing's recommender) on generated invoice history.

    bin/agency bench recommend [--clients 12500] [--months 36] [--seed 7] [--keep]

1. installs agency_billing in `agency_bench_recommend` and generates, with SQL, about 1,000,000 posted
   customer invoice lines (one invoice per client and month, `INSERT ... SELECT` from `generate_series`
   into `account_move` and `account_move_line`, only the columns Odoo requires and the recommender
   reads: company, journal, currency, state, type, dates, partner, product, account, amounts);
2. measures, with the addon's own SQL (`agency.recommendation.engine`):
   - the full recompute (`_refresh_full`),
   - an incremental refresh (`_refresh_incremental`, what the hourly scheduled action runs) after
     1,000 new invoice lines of 250 clients,
   - one client's lookup (`res.partner._agency_recommendations(limit=3)`, cold cache, median of 200),
   - the holdout evaluation (`_evaluate`, what *Do they work here?* shows): each client's latest
     services held out, hit rate at 3 of the recommender and of "most popular services".

The generator (`plan_history`) has hidden client segments:
- 40 services at 100 to 2,000 a month; 6 of them are bought once a year (audits, licences);
- 8 segments (kinds of clients), each with a core of 5 services drawn among the 37 not generic (segments
  overlap); a client belongs to one segment and buys each core service with probability 0.7;
- 3 generic services (hosting, reporting, basic SEO) that any client buys with probability 0.4 each,
  whatever its segment: what "most popular" gets right;
- noise: each other service with probability 0.03 (about one random service per client);
- each service starts in a random month of the history, one in five stops before the end; the client's
  size scales all its prices (log-normal, sigma 0.3), each line varies by +-10 %.
"""

import argparse
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import install, odoo_env, psql  # noqa: E402  (the billing run benchmark's helpers)

SERVICES = 40
YEARLY = 6
SEGMENTS = 8
CORE = 5
GENERIC = 3


def plan_history(args, product_ids, partner_ids):
    """(partner_id, product_id, start_month, end_month, step_months, monthly price) per service a
    client buys; months are 0 .. args.months - 1 (the last one is the current month)."""
    rng = random.Random(args.seed)
    generic = product_ids[:GENERIC]
    yearly = set(product_ids[GENERIC : GENERIC + YEARLY])
    specific = product_ids[GENERIC:]
    segments = [rng.sample(specific, CORE) for _ in range(SEGMENTS)]
    price = {product: rng.choice(range(100, 2001, 50)) for product in product_ids}
    rows = []
    for partner in partner_ids:
        core = segments[rng.randrange(SEGMENTS)]
        size = rng.lognormvariate(0, 0.3)
        bought = [p for p in core if rng.random() < 0.7]
        bought += [p for p in generic if rng.random() < 0.4]
        bought += [p for p in product_ids if p not in core and p not in generic and rng.random() < 0.03]
        for product in bought:
            start = rng.randrange(args.months)
            end = rng.randrange(start, args.months) if rng.random() < 0.2 else args.months - 1
            step = 12 if product in yearly else 1
            amount = round(price[product] * size * (12 if step == 12 else 1) * rng.uniform(0.9, 1.1), 2)
            rows.append((partner, product, start, end, step, amount))
    return rows


def invoice_target(env):
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    return {
        "company": company.id,
        "journal": journal.id,
        "currency": company.currency_id.id,
        "account": journal.default_account_id.id,
    }


def generate(args):
    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    products = env["product.product"].create(
        [{"name": f"Service {i + 1:02d}", "type": "service", "invoice_policy": "order"} for i in range(SERVICES)]
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills, create_date, write_date)
        SELECT 'Bench client ' || lpad(n::text, 5, '0'), 'Bench client ' || lpad(n::text, 5, '0'),
               TRUE, TRUE, 'contact', 'ask', now(), now()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [args.clients],
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    rows = plan_history(args, products.ids, partner_ids)
    cr.execute(
        "CREATE TABLE bench_adoption (partner_id int, product_id int, start_month int, end_month int,"
        " step int, amount numeric)"
    )
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        cr.execute(
            "INSERT INTO bench_adoption VALUES " + ",".join(["(%s,%s,%s,%s,%s,%s)"] * len(chunk)),
            [value for row in chunk for value in row],
        )
    # written a day ago: the history is older than the first refresh, as in a real database
    insert_lines(cr, args.months, {**invoice_target(env), "written": "1 day"})
    cr.execute("SELECT COUNT(*) FROM account_move_line WHERE move_id IN (SELECT id FROM bench_move)")
    print(
        f"  generated {cr.fetchone()[0]:,} invoice lines of {args.clients:,} clients in {time.time() - started:.0f} s"
    )
    cr.commit()
    cr.close()
    psql(args.config, "VACUUM ANALYZE", db=args.db)


def insert_lines(cr, months, target):
    """Expand the adoptions into one invoice per client and month and its lines (only the
    services billed that month), straight in SQL."""
    """``target``: the company, journal, currency and income account of the invoices."""
    params = {"months": months, "written": "0 days", **target}
    cr.execute(
        """
        DROP TABLE IF EXISTS bench_line, bench_move;
        CREATE TABLE bench_line AS
        SELECT a.partner_id, a.product_id, m AS month,
               round(a.amount * (0.9 + random() * 0.2)::numeric, 2) AS amount,
               (date_trunc('month', now()) - make_interval(months => %(months)s - 1 - m))::date + 4 AS date
          FROM bench_adoption a, generate_series(a.start_month, a.end_month, a.step) m
;
        CREATE TABLE bench_move AS
        SELECT nextval('account_move_id_seq') AS id, partner_id, date
          FROM (SELECT DISTINCT partner_id, date FROM bench_line) x;
        INSERT INTO account_move (id, name, journal_id, currency_id, company_id, state, move_type, auto_post,
                                  date, invoice_date, invoice_date_due, partner_id, commercial_partner_id,
                                  payment_state, create_date, write_date)
        SELECT id, 'BENCH/' || id, %(journal)s, %(currency)s, %(company)s, 'posted', 'out_invoice', 'no',
               date, date, date + 30, partner_id, partner_id, 'paid', now(), now() - %(written)s::interval
          FROM bench_move;
        INSERT INTO account_move_line (move_id, journal_id, company_id, currency_id, company_currency_id,
                                       display_type, parent_state, date, partner_id, product_id, account_id,
                                       name, quantity, price_unit, debit, credit, balance, amount_currency,
                                       create_date, write_date)
        SELECT m.id, %(journal)s, %(company)s, %(currency)s, %(currency)s, 'product', 'posted', l.date,
               l.partner_id, l.product_id, %(account)s, 'Service', 1, l.amount, 0, l.amount, -l.amount, -l.amount,
               now(), now()
          FROM bench_line l JOIN bench_move m ON m.partner_id = l.partner_id AND m.date = l.date;
        """,
        params,
    )


def add_new_lines(env, cr, args, count=1000, per_client=4):
    """1,000 new lines this month: 250 clients each buy 4 services (some new to them)."""
    rng = random.Random(args.seed + 1)
    cr.execute("SELECT DISTINCT partner_id FROM bench_adoption ORDER BY 1")
    partners = rng.sample([row[0] for row in cr.fetchall()], count // per_client)
    products = env["product.product"].search([("name", "=like", "Service %")]).ids
    cr.execute("DROP TABLE IF EXISTS bench_adoption_new; CREATE TABLE bench_adoption_new (LIKE bench_adoption)")
    rows = [
        (p, product, args.months - 1, args.months - 1, 1, 500)
        for p in partners
        for product in rng.sample(products, per_client)
    ]
    cr.execute(
        "INSERT INTO bench_adoption_new VALUES " + ",".join(["(%s,%s,%s,%s,%s,%s)"] * len(rows)),
        [value for row in rows for value in row],
    )
    cr.execute("ALTER TABLE bench_adoption RENAME TO bench_adoption_old")
    cr.execute("ALTER TABLE bench_adoption_new RENAME TO bench_adoption")
    insert_lines(cr, args.months, invoice_target(env))
    cr.execute("DROP TABLE bench_adoption; ALTER TABLE bench_adoption_old RENAME TO bench_adoption")
    # one invoice per client this month already exists for most of them: a second one, as a new run would
    cr.execute("SELECT COUNT(*) FROM bench_line")
    return cr.fetchone()[0]


def measure(args):
    env, cr = odoo_env(args.config, args.db)
    engine = env["agency.recommendation.engine"]
    company = env.company
    cr.execute("SELECT COUNT(*) FROM account_move_line WHERE parent_state = 'posted' AND display_type = 'product'")
    lines = cr.fetchone()[0]
    print(f"{lines:,} posted invoice lines, {args.clients:,} clients")

    full = []
    for _run in range(args.runs):
        started = time.perf_counter()
        engine._refresh_full(company)
        cr.commit()
        full.append(time.perf_counter() - started)
        print(f"  full recompute: {full[-1]:.1f} s", flush=True)
    cr.execute("ANALYZE agency_recommendation, agency_recommendation_pair, agency_recommendation_purchase")
    cr.commit()

    new_lines = add_new_lines(env, cr, args)
    cr.commit()
    started = time.perf_counter()
    refreshed = engine._refresh_incremental(company)
    cr.commit()
    incremental = time.perf_counter() - started
    print(f"  incremental refresh after {new_lines:,} new lines: {refreshed} clients in {incremental:.2f} s")

    cr.execute("SELECT DISTINCT partner_id FROM agency_recommendation_purchase ORDER BY 1")
    partner_ids = random.Random(args.seed).sample([row[0] for row in cr.fetchall()], 200)
    lookups, shown = [], 0
    for partner in env["res.partner"].browse(partner_ids):
        env.invalidate_all()
        started = time.perf_counter()
        shown += bool(partner._agency_recommendations(limit=3))
        lookups.append((time.perf_counter() - started) * 1000)
    lookups.sort()
    print(
        f"  lookup of one client: median {statistics.median(lookups):.1f} ms, p95 {lookups[189]:.1f} ms "
        f"({shown} of 200 clients get a suggestion)"
    )

    figures = engine._evaluate(company, k=3)
    cr.rollback()
    print(f"  evaluation in {figures['seconds']:.1f} s on {figures['clients']:,} clients")
    print()
    print(f"{'':36}{'value':>12}{'target':>12}")
    print(f"{'full recompute (s, median)':36}{statistics.median(full):>12.1f}{'< 60':>12}")
    print(f"{'incremental, 1,000 new lines (s)':36}{incremental:>12.2f}{'< 2':>12}")
    print(f"{'one client lookup (ms, median)':36}{statistics.median(lookups):>12.1f}{'< 20':>12}")
    print(f"{'hit rate at 3, recommender':36}{figures['recommender_hit_rate']:>12.3f}")
    print(f"{'hit rate at 3, most popular':36}{figures['popular_hit_rate']:>12.3f}")
    print(f"{'ratio':36}{figures['ratio']:>12.2f}{'>= 2':>12}")
    cr.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_recommend")
    parser.add_argument("--clients", type=int, default=12500)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=2, help="full recomputes measured")
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    args = parser.parse_args()
    if not args.keep:
        install(args.config, args.db)
        generate(args)
    measure(args)


if __name__ == "__main__":
    main()
