"""Benchmark: a bank statement (CAMT.053) matched with open invoices, ours beside OCA's own matching.

    bin/agency bench bank [--clients 10000] [--invoices-per-client 5] [--lines 10000] [--keep] [--profile P]

1. installs `agency_billing` (with the OCA import and reconciliation) in `agency_bench_bank` and builds
   the data and the file (`bench/bank_data.py`: how, and the noise of the file);
2. on two copies of that database, each in a fresh process, imports the file through the OCA import
   wizard and lets it match:
   - ours: the production path (OCA's automatic reconciliation on creation, then ours on the rest);
   - OCA's own: the same import with our matching switched off (its reconcile models only);
3. prints, for both: lines matched automatically (by kind for ours), WRONG automatic matches (a line
   reconciled with anything else than the invoices it really pays), the share of lines carrying a
   valid structured reference that were matched, and the time of import plus matching.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bank_data import file_of, generate  # noqa: E402
from run import install, odoo_env, psql  # noqa: E402


def measure(args):
    env, cr = odoo_env(args.config, args.db)
    with open(args.file, "rb") as handle:
        data = handle.read()
    with open(args.file + ".truth.json") as handle:
        truth = {item["bank_ref"]: item for item in json.load(handle)}
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
    context = {"journal_id": journal.id}
    Matcher = type(env["agency.bank.matcher"])
    original = Matcher._agency_match
    if args.side == "oca":
        Matcher._agency_match = lambda self, lines: lines.browse()
    timings = {"deciding": 0.0, "reconciling": 0.0}

    def timed(name, method):
        def wrapper(self, *a, **k):
            start = time.perf_counter()
            try:
                return method(self, *a, **k)
            finally:
                timings[name] += time.perf_counter() - start

        return wrapper

    Matcher._agency_decide = timed("deciding", Matcher._agency_decide)
    Reconciler = type(env["agency.bank.reconciler"])
    Reconciler._agency_apply = timed("reconciling", Reconciler._agency_apply)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    wizard = (
        env["account.statement.import"]
        .with_context(**context)
        .create({"statement_file": base64.b64encode(data), "statement_filename": "bench.xml"})
    )
    wizard.import_file_button()
    env.flush_all()
    cr.commit()
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    Matcher._agency_match = original
    lines = env["account.bank.statement.line"].search([("journal_id", "=", journal.id)])
    result = {
        "side": args.side,
        "lines": len(lines),
        "seconds": elapsed,
        **timings,
        "auto": 0,
        "wrong": 0,
        "by_kind": {},
        "by_truth": {},
        "ref_lines": 0,
        "ref_matched": 0,
    }
    for line in lines:
        item = truth.get(line.unique_import_id.rsplit("camt-", 1)[-1]) if line.unique_import_id else None
        if item is None:
            continue
        if item["kind"] in ("reference", "partial"):
            result["ref_lines"] += 1
        if not line.is_reconciled:
            continue
        matched = sorted(
            (line.move_id.line_ids._all_reconciled_lines() - line.move_id.line_ids)
            .move_id.filtered(lambda move: move.move_type == "out_invoice")
            .mapped("name")
        )
        result["auto"] += 1
        kind = line.agency_match_kind or "oca"
        result["by_kind"][kind] = result["by_kind"].get(kind, 0) + 1
        result["by_truth"][item["kind"]] = result["by_truth"].get(item["kind"], 0) + 1
        if matched != item["names"]:
            result["wrong"] += 1
        elif item["kind"] in ("reference", "partial"):
            result["ref_matched"] += 1
    cr.close()
    print("RESULT " + json.dumps(result), flush=True)


def side(args, name):
    copy = f"{args.db}_{name}"
    psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
    psql(args.config, f'CREATE DATABASE "{copy}" TEMPLATE "{args.db}"')
    process = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, "bank.py"),
            "--config",
            args.config,
            "--db",
            copy,
            "--file",
            args.file,
            "--measure",
            "--side",
            name,
            *(["--profile", f"{args.profile}.{name}"] if args.profile else []),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    psql(args.config, f'DROP DATABASE IF EXISTS "{copy}"')
    if process.returncode:
        sys.exit(f"the {name} side failed:\n{process.stderr[-3000:]}")
    line = next(line for line in process.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def report(result, total_truth):
    lines = result["lines"] or 1
    print(f"{'ours' if result['side'] == 'ours' else 'OCA reconcile models only'}:", flush=True)
    print(
        f"  {result['auto']} of {result['lines']} lines matched automatically ({100 * result['auto'] / lines:.1f} %),"
        f" WRONG: {result['wrong']}",
        flush=True,
    )
    print(f"  by how: {json.dumps(result['by_kind'])}; by the file's kind of line: {json.dumps(result['by_truth'])}")
    ref_share = 100 * result["ref_matched"] / max(result["ref_lines"], 1)
    print(
        f"  lines with a valid structured reference matched: {result['ref_matched']} of {result['ref_lines']}"
        f" ({ref_share:.1f} %)"
    )
    print(
        f"  import + matching: {result['seconds']:.1f} s ({result['lines'] / max(result['seconds'], 0.001):.0f}"
        " lines/s)",
        flush=True,
    )
    if result["side"] == "ours":
        print(
            f"    of which our deciding {result['deciding']:.1f} s,"
            f" our reconciling (in batch, as OCA reconciles) {result['reconciling']:.1f} s"
            f", the rest OCA's import (parse, create, its own automatic matching)",
            flush=True,
        )
    del total_truth


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_bank")
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--invoices-per-client", type=int, default=5)
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="reuse the generated database and file")
    parser.add_argument("--file", default=None)
    parser.add_argument("--side", choices=("ours", "oca"), default="ours")
    parser.add_argument("--only", choices=("ours", "oca"), help="measure one side only")
    parser.add_argument("--profile", help="write a cProfile of the import plus matching to PROFILE.<side>")
    parser.add_argument(
        "--generate-only", action="store_true", help="build the database and the files, measure nothing"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.file = args.file or file_of(args, args.lines)
    if args.measure:
        return measure(args)
    if not args.keep:
        install(args.config, args.db, "agency_billing")
        print(
            f"generating {args.clients} clients x {args.invoices_per_client} invoices, {args.lines} lines", flush=True
        )
        generate(args)
    if args.generate_only:
        return None
    for name in ("ours", "oca"):
        if args.only and args.only != name:
            continue
        report(side(args, name), None)
    return None


if __name__ == "__main__":
    main()
