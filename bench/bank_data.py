"""Benchmark data for `bench/bank.py`: open invoices of many clients, and a CAMT.053 file paying them.

1. `generate` builds the data fast: the ORM creates and posts one invoice with an RF reference, then SQL
   copies it to N clients x M open invoices with varied amounts (50.00 to 5,000.00), client-coded numbers
   (`C00042-2026-0003`), their own valid RF creditor references, due dates spread over the last 150
   days; 2 % of the invoices are in USD; each client has its own IBAN; then ANALYZE.
2. `make_file` writes a camt.053.001.02 file of L lines (valid against the ISO 20022 schema when the
   `camt053` package is installed), and its first 1,000 lines as a smaller file, with this noise, per
   line drawn at random (seed 18):
   - 45 % pay one invoice and carry its structured reference (in Strd, or typed in the free text
     with spaces or in lower case);
   - 20 % carry no reference: half write the invoice number with typing damage (lower case, a dash
     missing, spaces), half only come from the client's IBAN with the exact amount;
   - 10 % pay 2 or 3 of a client's invoices at once (numbers listed, or IBAN and the exact sum);
   - 8 % carry a reference with a typo (one character changed: the check digits fail), from the
     client's IBAN with the exact amount;
   - 7 % pay part of an invoice (40 to 90 %), with its reference;
   - 5 % come from unknown payers (another IBAN and name, no reference, a random amount);
   - 5 % pay an invoice issued in USD by its number, in the journal's currency (must not match).
   Every line's truth (the invoices it really pays) is kept beside the file.
"""

import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from reminders import columns, copy_sql  # noqa: E402
from run import odoo_env, psql  # noqa: E402

AGENCY_IBAN = "DE89370400440532013000"
MONEY_MOVE = [
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
]
MONEY_LINE = [
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "amount_residual",
    "amount_residual_currency",
    "price_unit",
    "price_subtotal",
    "price_total",
]


def iban_of(n):
    """A valid German IBAN per client (bank code 37040044, account n)."""
    from stdnum.iso7064 import mod_97_10

    bban = f"37040044{n:010d}"
    check = mod_97_10.calc_check_digits(bban + "DE")
    return f"DE{check}{bban}"


def rf_of(text):
    from odoo.addons.account.tools.structured_reference import format_structured_reference_iso

    return format_structured_reference_iso(text)


def file_of(args, lines):
    return os.path.join(HERE, "..", ".local", f"bench-bank-camt053-{lines}.xml")


def generate(args):
    env, cr = odoo_env(args.config, args.db)
    started = time.time()
    random.seed(18)
    company = env.company
    company._agency_use_structured_references()
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    bank_journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    bank_journal.bank_account_id = env["res.partner.bank"].create(
        {"partner_id": company.partner_id.id, "acc_number": AGENCY_IBAN, "company_id": company.id}
    )
    usd = env.ref("base.USD")
    usd.active = True
    other = usd if company.currency_id != usd else env.ref("base.EUR")
    other.active = True
    client = env["res.partner"].create({"name": "Bench template", "is_company": True, "email": "t@example.com"})
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": client.id,
            "journal_id": journal.id,
            "invoice_date": time.strftime("%Y-%m-%d"),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [(0, 0, {"name": "Retainer", "quantity": 1, "price_unit": 400.0, "tax_ids": []})],
        }
    )
    invoice.action_post()
    cr.commit()

    cr.execute(
        "CREATE TEMP TABLE bench_client AS SELECT n, nextval('res_partner_id_seq') AS new_id"
        " FROM generate_series(1, %s) n",
        [args.clients],
    )
    sql = copy_sql(
        cr,
        "res_partner",
        "p",
        {
            "name": "'Bench Client ' || lpad(m.n::text, 5, '0')",
            "complete_name": "'Bench Client ' || lpad(m.n::text, 5, '0')",
            "email": "'client' || m.n || '@example.com'",
            "commercial_partner_id": "m.new_id",
            "agency_client_code": "'C' || lpad(m.n::text, 5, '0')",
        },
    )
    cr.execute(sql + f" FROM bench_client m JOIN res_partner p ON p.id = {client.id}")
    cr.execute("SELECT n, new_id FROM bench_client ORDER BY n")
    clients = cr.fetchall()
    from psycopg2.extras import execute_values

    execute_values(
        cr,
        "INSERT INTO res_partner_bank (partner_id, acc_number, sanitized_acc_number, active, allow_out_payment,"
        " create_date, write_date) VALUES %s",
        [(pid, iban_of(n), iban_of(n), True, False, "now()", "now()") for n, pid in clients],
    )
    print(f"  {args.clients} clients with their IBAN ({time.time() - started:.0f} s)", flush=True)

    # invoices: number, reference, amount, due date and currency per copy, computed here
    rows = []
    n = 0
    for client_n, partner_id in clients:
        for k in range(1, args.invoices_per_client + 1):
            n += 1
            name = f"C{client_n:05d}-2026-{k:04d}"
            reference = rf_of(f"{client_n:05d}{k:04d}")
            amount = round(random.uniform(50, 5000), 2) if random.random() > 0.1 else float(random.choice((500, 1000)))
            due = random.randint(0, 150)
            currency = other.id if n % 50 == 0 else company.currency_id.id
            rows.append((n, partner_id, name, reference, amount, due, currency))
    cr.execute(
        "CREATE TEMP TABLE bench_move (n int, partner_id int, name varchar, ref varchar, amount numeric,"
        " due_offset int, currency_id int, new_id int)"
    )
    execute_values(
        cr,
        "INSERT INTO bench_move (n, partner_id, name, ref, amount, due_offset, currency_id) VALUES %s",
        rows,
        page_size=5000,
    )
    cr.execute("UPDATE bench_move SET new_id = nextval('account_move_id_seq')")
    overrides = {
        "name": "m.name",
        "partner_id": "m.partner_id",
        "commercial_partner_id": "m.partner_id",
        "invoice_date": "CURRENT_DATE - m.due_offset - 30",
        "date": "CURRENT_DATE - m.due_offset - 30",
        "invoice_date_due": "CURRENT_DATE - m.due_offset",
        "payment_reference": "m.ref",
        "currency_id": "m.currency_id",
        "sequence_prefix": "split_part(m.name, '-', 1) || '-2026-'",
        "sequence_number": "split_part(m.name, '-', 3)::int",
        "access_token": "NULL",
        "agency_billing_key": "NULL",
        "message_main_attachment_id": "NULL",
    }
    move_cols = columns(cr, "account_move")
    for col in MONEY_MOVE:
        if col in move_cols:
            overrides[col] = f"ROUND(o.{col} * m.amount / 400.0, 2)"
    cr.execute(
        copy_sql(cr, "account_move", "o", overrides) + f" FROM bench_move m JOIN account_move o ON o.id = {invoice.id}"
    )
    line_overrides = {
        "move_id": "m.new_id",
        "partner_id": "m.partner_id",
        "move_name": "m.name",
        "currency_id": "m.currency_id",
        "date": "CURRENT_DATE - m.due_offset - 30",
        "invoice_date": "CURRENT_DATE - m.due_offset - 30",
        "date_maturity": "CASE WHEN l.display_type = 'payment_term' THEN CURRENT_DATE - m.due_offset"
        " ELSE l.date_maturity END",
    }
    line_cols = columns(cr, "account_move_line")
    for col in MONEY_LINE:
        if col in line_cols:
            line_overrides[col] = f"ROUND(l.{col} * m.amount / 400.0, 2)"
    line_sql = copy_sql(cr, "account_move_line", "l", line_overrides).replace(
        "SELECT m.new_id,", "SELECT nextval('account_move_line_id_seq'),"
    )
    cr.execute(line_sql + f" FROM bench_move m JOIN account_move_line l ON l.move_id = {invoice.id}")
    print(f"  {len(rows)} invoices copied ({time.time() - started:.0f} s)", flush=True)
    currency_name, other_id = company.currency_id.name, other.id
    cr.commit()
    cr.close()
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(args.db)
    close_db(args.db)
    psql(args.config, "ANALYZE", db=args.db)
    make_file(args, rows, clients, currency_name, other_id)
    print(f"  data and file ready in {time.time() - started:.0f} s", flush=True)


def damage_number(name):
    """What people type: lower case, a dash missing, spaces."""
    choice = random.random()
    if choice < 0.33:
        return name.lower()
    if choice < 0.66:
        return name.replace("-", "", 1)
    return name.replace("-", " ")


def typo(reference):
    """One character of the reference changed: its check digits no longer fit."""
    compact = reference.replace(" ", "")
    position = random.randint(4, len(compact) - 1)
    digit = str((int(compact[position]) + random.randint(1, 9)) % 10) if compact[position].isdigit() else "7"
    return compact[:position] + digit + compact[position + 1 :]


def _by_reference(ctx, row, position):
    place = random.random()
    if place < 0.7:
        tx = {"ref": row[3].replace(" ", ""), "ustrd": "Invoice payment"}
    elif place < 0.85:
        tx = {"ustrd": f"Payment {row[3]}"}
    else:
        tx = {"ustrd": f"ref {row[3].lower()}"}
    return {**tx, "amount": float(row[4]), **ctx["payer"](row)}, [row]


def _by_number(ctx, row, position):
    return {"amount": float(row[4]), "ustrd": f"Invoice {damage_number(row[2])}", **ctx["payer"](row)}, [row]


def _by_payer(ctx, row, position):
    return {"amount": float(row[4]), "ustrd": "Thank you", **ctx["payer"](row)}, [row]


def _several(ctx, row, position):
    own = [
        r for r in sorted(ctx["by_client"][row[1]], key=lambda r: (-r[5], r[0])) if r[0] not in ctx["used"] or r is row
    ]
    pays = own[: min(random.choice((2, 3)), len(own))]
    ctx["used"].update(r[0] for r in pays)
    total = round(sum(float(r[4]) for r in pays), 2)
    text = "Invoices " + " ".join(r[2] for r in pays) if random.random() < 0.5 else "Several invoices"
    return {"amount": total, "ustrd": text, **ctx["payer"](row)}, pays


def _typo(ctx, row, position):
    return {"amount": float(row[4]), "ref": typo(row[3]), **ctx["payer"](row)}, [row]


def _partial(ctx, row, position):
    amount = round(float(row[4]) * random.uniform(0.4, 0.9), 2)
    return {"amount": amount, "ref": row[3].replace(" ", ""), **ctx["payer"](row)}, [row]


def _unknown(ctx, row, position):
    ctx["used"].discard(row[0])
    amount = round(random.uniform(50, 5000), 2)
    return {
        "amount": amount,
        "ustrd": "Transfer",
        "iban": iban_of(900000 + position),
        "name": f"Stranger {position}",
    }, []


def _foreign(ctx, row, position):
    ctx["used"].discard(row[0])
    frow = ctx["fresh"](ctx["foreign"])
    if frow is None:
        return None
    return {"amount": float(frow[4]), "ustrd": f"Invoice {frow[2]}", **ctx["payer"](frow)}, []


# (cumulative share, kind, generator): the noise documented in the module's docstring
NOISE = [
    (0.45, "reference", _by_reference),
    (0.55, "number", _by_number),
    (0.65, "payer", _by_payer),
    (0.75, "several", _several),
    (0.83, "typo", _typo),
    (0.90, "partial", _partial),
    (0.95, "unknown", _unknown),
    (1.00, "foreign", _foreign),
]


def make_file(args, rows, clients, currency, other_currency_id):
    sys.path.insert(0, os.path.join(HERE, "..", "agency_billing", "tests"))
    from camt import camt053, camt053_schema_path, validate_camt053

    by_client = {}
    for row in rows:
        by_client.setdefault(row[1], []).append(row)
    client_n = {pid: n for n, pid in clients}
    used = set()

    def fresh(pool):
        for _attempt in range(50):
            row = random.choice(pool)
            if row[0] not in used:
                used.add(row[0])
                return row
        return None

    ctx = {
        "by_client": by_client,
        "used": used,
        "fresh": fresh,
        "foreign": [row for row in rows if row[6] == other_currency_id],
        "payer": lambda row: {"iban": iban_of(client_n[row[1]]), "name": f"Bench Client {client_n[row[1]]:05d}"},
    }
    home = [row for row in rows if row[6] != other_currency_id]
    transactions, truth = [], []
    for position in range(args.lines):
        draw = random.random()
        row = fresh(home)
        if row is None:
            break
        kind, generator = next((kind, generator) for share, kind, generator in NOISE if draw < share)
        made = generator(ctx, row, position)
        if made is None:
            continue
        tx, pays = made
        tx["bank_ref"] = f"BENCH{position:07d}"
        transactions.append(tx)
        truth.append({"bank_ref": tx["bank_ref"], "kind": kind, "names": sorted(r[2] for r in pays)})
    # the full file, and its first 1,000 lines as a smaller one (``--keep --lines 1000`` reuses it)
    for size in sorted({len(transactions), min(1000, len(transactions))}):
        data = camt053(AGENCY_IBAN, transactions[:size], currency=currency, statement_id="BENCH-1")
        if camt053_schema_path():
            validate_camt053(data)
            print(f"  the file of {size} lines is valid camt.053.001.02 (ISO 20022 schema)", flush=True)
        path = file_of(args, size)
        with open(path, "wb") as handle:
            handle.write(data)
        with open(path + ".truth.json", "w") as handle:
            json.dump(truth[:size], handle)
    kinds = {}
    for item in truth:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(f"  {len(transactions)} lines written: {json.dumps(kinds)}", flush=True)
