"""Render the README pictures of the agency invoice and the customer statement from the demo data.

    python3 docs/render_documents.py [--url http://localhost:8069] [--db agency_demo]

Needs a running Odoo serving the demo database (`bin/agency run`) and poppler's `pdftoppm`.
Logs in as the demo billing user through JSON-RPC. When the demo has no invoice with project
sections yet, it runs the billing run once (this adds invoices to the database it talks to: use the
demo database, not a real one) and posts the first invoice it made. The PDFs are rendered by Odoo
(wkhtmltopdf) and their first page saved as PNG in docs/images/.
"""

import argparse
import datetime
import json
import os
import subprocess
import tempfile
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

IMAGES = Path(__file__).resolve().parent / "images"


class Client:
    def __init__(self, url, db, login, password):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def rpc(self, path, params):
        payload = json.dumps({"jsonrpc": "2.0", "params": params}).encode()
        request = urllib.request.Request(f"{self.url}{path}", payload, {"Content-Type": "application/json"})
        answer = json.load(self.opener.open(request, timeout=300))
        if answer.get("error"):
            raise SystemExit(f"{path} failed: {answer['error'].get('data', {}).get('message') or answer['error']}")
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}", params)

    def download(self, path):
        return self.opener.open(f"{self.url}{path}", timeout=300).read()


def sectioned_invoice(client):
    """A posted invoice of a billed client with project sections, made by the billing run if needed."""
    domain = [
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("commercial_partner_id.agency_billing_policy", "!=", False),
        ("invoice_line_ids.display_type", "=", "line_section"),
    ]
    # rather one still owed in English (the amount due first), with out-of-scope work (a subsection)
    owed = [("payment_state", "in", ("not_paid", "partial")), ("partner_id.lang", "in", ("en_US", False))]
    for extra in ([*owed, ("invoice_line_ids.display_type", "=", "line_subsection")], owed, []):
        found = client.call("account.move", "search", domain + extra, order="amount_total desc", limit=1)
        if found:
            return found[0]
    run = client.call("agency.billing.run", "create", [{}])[0]
    client.call("agency.billing.run", "action_bill", [run])
    drafts = client.call(
        "account.move",
        "search",
        [("agency_billing_run_line_ids.run_id", "=", run), ("invoice_line_ids.display_type", "=", "line_section")],
        order="amount_total desc",
        limit=1,
    )
    if not drafts:
        raise SystemExit("the billing run made no invoice with project sections")
    client.call("account.move", "action_post", drafts)
    return drafts[0]


def to_png(pdf, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        target = IMAGES / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path), str(target)],
            check=True,
        )
    print(f"{target}.png")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default=os.environ.get("AGENCY_DEMO_DB", "agency_demo"))
    parser.add_argument("--login", default="agency")
    parser.add_argument("--password", default="agency")
    args = parser.parse_args()
    client = Client(args.url, args.db, args.login, args.password)
    IMAGES.mkdir(exist_ok=True)

    invoice = sectioned_invoice(client)
    to_png(client.download(f"/report/pdf/agency_billing.report_agency_invoice/{invoice}"), "agency_invoice")

    # the agency client with the most posted invoices, over the last four months
    moves = client.call(
        "account.move",
        "search_read",
        [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("commercial_partner_id.agency_billing_policy", "!=", False),
        ],
        fields=["commercial_partner_id"],
    )
    counts = Counter(move["commercial_partner_id"][0] for move in moves)
    partner = counts.most_common(1)[0][0]
    today = datetime.date.today()
    options = urllib.parse.quote(
        json.dumps({"date_from": str(today - datetime.timedelta(days=120)), "date_to": str(today)})
    )
    statement = client.download(f"/report/pdf/agency_billing.report_customer_statement/{partner}?options={options}")
    to_png(statement, "customer_statement")


if __name__ == "__main__":
    main()
