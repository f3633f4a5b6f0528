"""Take the README's screenshots from a running `bin/agency run` (demo database).

    python3 docs/screenshots.py [--url http://localhost:8069] [--db agency_demo]

Logs in through Odoo's JSON-RPC, hands the session cookie to a headless Chromium driven over the
DevTools protocol (websocket-client), and saves PNG files in docs/images/.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

IMAGES = Path(__file__).resolve().parent / "images"


def login(url, db, user, password):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}}
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    answer = json.load(opener.open(request, timeout=30))
    if answer.get("error"):
        raise SystemExit(f"login {user} failed: {answer['error']}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def rpc(opener, url, model, method, args, *, kwargs=None):
    payload = {"jsonrpc": "2.0", "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}
    request = urllib.request.Request(
        f"{url}/web/dataset/call_kw", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    answer = json.load(opener.open(request, timeout=120))
    if answer.get("error"):
        raise SystemExit(f"{model}.{method} failed: {answer['error']}")
    return answer["result"]


def call_kw(url, session, model, method, args, *, kwargs=None):
    """A JSON-RPC call as the logged-in user."""
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"session_id={session}")]
    return rpc(opener, url, model, method, args, kwargs=kwargs)


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        port = 9333
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                "--window-size=1400,1000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.counter = 0

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def wait_for(self, selector, timeout=60.0):
        """Wait until ``selector`` is on the page (the first load after an install builds the assets)."""
        expression = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.time() + timeout
        while time.time() < deadline:
            result = self.call("Runtime.evaluate", expression=expression).get("result", {})
            if result.get("value"):
                time.sleep(1.0)  # let the fonts and the last widgets settle
                return
            time.sleep(0.5)
        raise SystemExit(f"{selector} did not show within {timeout} s")

    def shoot(self, url, session, path, wait_for="body", height=1000):
        host = urllib.request.urlparse(url).hostname
        self.call("Network.enable")
        self.call("Network.setCookie", name="session_id", value=session, domain=host, path="/")
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=height, deviceScaleFactor=1, mobile=False)
        self.call("Page.enable")
        self.call("Page.navigate", url=url)
        time.sleep(1.0)
        self.wait_for(wait_for)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print("wrote", path)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def shoot_suggestions(args, browser, staff):
    """The suggestion panel on a draft invoice of Hooli (demo history of agency_billing)."""
    hooli = call_kw(args.url, staff, "res.partner", "search", [[["agency_client_code", "=", "HOOLI"]]])[0]
    draft = call_kw(
        args.url,
        staff,
        "account.move",
        "search",
        [[["partner_id", "=", hooli], ["state", "=", "draft"], ["move_type", "=", "out_invoice"]]],
        kwargs={"limit": 1},
    )[0]
    browser.shoot(
        f"{args.url}/odoo/action-account.action_move_out_invoice_type/{draft}",
        staff,
        IMAGES / "suggestion_panel.png",
        wait_for=".o_agency_suggestion_panel .o_data_row",
        height=760,
    )


def shoot_bank(args, browser, staff):
    """The demo's bank file of the day once imported (demo/agency_bank_demo.xml of agency_billing): its
    lines as the statement's *Matching* button shows them, matched by themselves (how, which invoices) and
    those left, with why."""
    line = call_kw(
        args.url,
        staff,
        "account.bank.statement.line",
        "search_read",
        [[["agency_match_state", "!=", False]]],
        kwargs={"fields": ["statement_id"], "limit": 1, "order": "id desc"},
    )[0]
    action = call_kw(
        args.url, staff, "account.bank.statement", "action_agency_matching_lines", [[line["statement_id"][0]]]
    )
    action["context"] = {}
    path = IMAGES / "bank_statement_matched.png"
    browser.shoot(f"{args.url}/odoo", staff, path, wait_for=".o_main_navbar", height=480)
    browser.call("Emulation.setDeviceMetricsOverride", width=1920, height=440, deviceScaleFactor=1, mobile=False)
    browser.call(
        "Runtime.evaluate",
        expression=f"odoo.__WOWL_DEBUG__.root.env.services.action.doAction({json.dumps(action)},"
        " {clearBreadcrumbs: true})",
    )
    browser.wait_for(".o_list_view .o_data_row")
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    path.write_bytes(base64.b64decode(data))
    print("wrote", path)


def shoot_portal(args, browser, staff, portal):
    """The customer's account page, a selection of two invoices being paid, a dispute of one project."""
    browser.shoot(
        f"{args.url}/my/account/billing", portal, IMAGES / "portal_account_page.png", wait_for="#agency_account_page"
    )

    def invoice(ref):
        domain = [["ref", "=", ref], ["move_type", "=", "out_invoice"]]
        return call_kw(args.url, staff, "account.move", "search", [domain])[0]

    selection = f"invoice_ids={invoice('PO-ACME-2026-07')}&invoice_ids={invoice('PO-ACME-2026-09')}"
    browser.shoot(
        f"{args.url}/my/invoices/pay?{selection}",
        portal,
        IMAGES / "portal_pay_selection.png",
        wait_for="input[name='o_payment_radio']",
        height=1100,
    )
    browser.shoot(
        f"{args.url}/my/invoices/{invoice('PO-ACME-2026-06')}",
        portal,
        IMAGES / "portal_dispute.png",
        wait_for="#agency_talk_back",
        height=900,
    )
    time.sleep(5)  # the page's scripts (collapsible forms) and the invoice preview load after the page
    browser.call(
        "Runtime.evaluate",
        expression="document.querySelector('.agency_open_dispute').click();"
        "const select = document.querySelector('#agency_dispute_section');"
        "select.selectedIndex = select.options.length - 1;"
        "document.querySelector('#agency_dispute_reason').value = "
        "'The launch campaign ran one week instead of the two we ordered.';"
        "document.querySelector('#agency_talk_back').scrollIntoView();",
    )
    browser.wait_for("#agency_form_dispute.show")
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    (IMAGES / "portal_dispute.png").write_bytes(base64.b64decode(data))
    print("wrote", IMAGES / "portal_dispute.png")


def shoot_payments(args, browser, portal):
    """The customer's own ways to pay without asking: choosing a payment plan, and the autopay card."""
    browser.shoot(
        f"{args.url}/my/account/plan", portal, IMAGES / "portal_payment_plan.png", wait_for="#agency_plan_page"
    )
    browser.shoot(f"{args.url}/my/account/billing", portal, IMAGES / "portal_autopay.png", wait_for="#agency_autopay")
    browser.call("Runtime.evaluate", expression="document.querySelector('#agency_autopay').scrollIntoView();")
    time.sleep(1.0)
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    (IMAGES / "portal_autopay.png").write_bytes(base64.b64decode(data))
    print("wrote", IMAGES / "portal_autopay.png")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default=os.environ.get("AGENCY_DEMO_DB", "agency_demo"))
    parser.add_argument(
        "--only", choices=["suggestions", "portal", "bank", "payments"], help="take only these screenshots"
    )
    args = parser.parse_args()
    IMAGES.mkdir(exist_ok=True)
    staff = login(args.url, args.db, "agency", "agency")
    browser = Browser()
    try:
        if args.only == "portal":
            shoot_portal(args, browser, staff, login(args.url, args.db, "portal.acme", "portal"))
            return
        if args.only == "bank":
            shoot_bank(args, browser, staff)
            return
        if args.only == "payments":
            shoot_payments(args, browser, login(args.url, args.db, "portal.acme", "portal"))
            return
        shoot_suggestions(args, browser, staff)
        if args.only:
            return
        shoot_bank(args, browser, staff)
        portal = login(args.url, args.db, "portal.acme", "portal")
        # the client form opened on its Billing tab
        acme = call_kw(
            args.url, staff, "res.partner", "search", [[["agency_client_code", "=", "ACME"], ["parent_id", "=", False]]]
        )[0]
        form_url = f"{args.url}/odoo/action-agency_billing.action_agency_clients/{acme}"
        browser.shoot(form_url, staff, IMAGES / "partner_form.png", wait_for=".o_form_view .o_notebook a.nav-link")
        browser.call(
            "Runtime.evaluate",
            expression="[...document.querySelectorAll('a.nav-link')]"
            ".find(a => a.textContent.trim() === 'Billing').click()",
        )
        browser.wait_for(".o_notebook .tab-pane.active [name='agency_billing_policy']")
        data = browser.call("Page.captureScreenshot", format="png")["data"]
        (IMAGES / "partner_billing_tab.png").write_bytes(base64.b64decode(data))
        (IMAGES / "partner_form.png").unlink()
        print("wrote", IMAGES / "partner_billing_tab.png")
        # the reminders of today, sent from the Send Reminders wizard, then Late Clients and one mail
        wizard = call_kw(args.url, staff, "agency.reminder.send.wizard", "create", [{}])
        call_kw(args.url, staff, "agency.reminder.send.wizard", "action_send", [[wizard]])
        browser.shoot(
            f"{args.url}/odoo/action-agency_billing_reminders.action_agency_late_client",
            staff,
            IMAGES / "late_clients.png",
            wait_for=".o_list_view .o_data_row",
            height=600,
        )
        # a mail to the portal customer (Acme), else to another client of the agency
        for client in (
            [["partner_id.agency_client_code", "=", "ACME"]],
            [["partner_id.agency_client_code", "!=", False]],
        ):
            message = call_kw(
                args.url,
                staff,
                "agency.reminder.message",
                "search_read",
                [[["mail_id", "!=", False], *client]],
                kwargs={"fields": ["id"], "limit": 1, "order": "id desc"},
            )
            if message:
                break
        if message:
            browser.shoot(
                f"{args.url}/odoo/action-agency_billing_reminders.action_agency_reminder_message/{message[0]['id']}",
                staff,
                IMAGES / "reminder_mail.png",
                wait_for=".o_form_view table",
                height=800,
            )
        browser.shoot(
            f"{args.url}/my", portal, IMAGES / "portal_account_card.png", wait_for="#agency_account_card", height=800
        )
        shoot_portal(args, browser, staff, portal)
        shoot_payments(args, browser, portal)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
