"""Benchmark: agency invoices sent with their e-invoice against Odoo's own sending of its standard invoice
with the same format (Peppol BIS 3), side by side in the same run.

    bin/agency bench einvoice [--invoices 20] [--runs 1] [--keep]      (--invoices 1000 for the full run)

1. installs `agency_billing` in `agency_bench_einvoice` (unless --keep) and creates, through the ORM, a
   French agency (VAT 20 %, an IBAN) and 2 × N posted invoices of 6 lines for Norwegian public bodies
   with a Peppol address (the e-invoice format Peppol BIS 3, EHF): N agency invoices (clients with a
   billing profile: three project sections with their PO, the agency invoice layout) and N plain invoices
   (clients without one: Odoo's own layout and e-invoice); then ANALYZE;
2. for each run, sends every invoice with Odoo's `account.move.send` (PDF, e-invoice XML with the PDF
   embedded, Factur-X XML embedded in the PDF, mail queued), one by one, in batches of 10 alternating
   between the two sets, each batch committed, and times each set;
3. prints seconds per invoice for each set and the ratio agency / Odoo (target: at most 1.2).
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import install, odoo_env  # noqa: E402

BATCH = 10
PROGRESS = 100  # a line of running totals every PROGRESS invoices per side


def generate(env, count):
    Command = __import__("odoo").Command
    company = env.company
    company.write(
        {
            "name": "Bench Agency SAS",
            "country_id": env.ref("base.fr").id,
            "vat": "FR40303265045",
            "street": "10 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "email": "billing@bench.example.com",
            "phone": "+33 1 23 45 67 89",
        }
    )
    company.partner_id.write({"peppol_eas": "0009", "peppol_endpoint": "73282932000074"})
    bank = env["res.partner.bank"].search([("acc_number", "=", "FR7630006000011234567890189")], limit=1) or env[
        "res.partner.bank"
    ].create(
        {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id, "allow_out_payment": True}
    )
    tax = env["account.tax"].search([("name", "=", "TVA 20 %")], limit=1) or env["account.tax"].create(
        {"name": "TVA 20 %", "amount": 20.0, "type_tax_use": "sale"}
    )
    product = env["product.product"].create(
        {"name": "Design hour", "type": "service", "taxes_id": [Command.set(tax.ids)]}
    )
    sets = {}
    for kind in ("agency", "odoo"):
        partners = env["res.partner"].create(
            [
                {
                    "name": f"{kind.title()} kommune {i}",
                    "is_company": True,
                    "country_id": env.ref("base.no").id,
                    "street": "Rådhusplassen 1",
                    "zip": "0037",
                    "city": "Oslo",
                    "email": f"faktura{i}@{kind}.example.no",
                    "peppol_eas": "0192",
                    "peppol_endpoint": f"{974760673 + i}",
                    "agency_client_profile": "public",
                    "agency_billing_policy": "time_materials" if kind == "agency" else False,
                    "invoice_edi_format": "ubl_bis3",
                    "invoice_sending_method": "email",
                }
                for i in range(count)
            ]
        )

        def lines(kind):
            commands = []
            for section in ("Brand refresh (PO 4500012345)", "Website (PO 4500012345)", "Social media (PO 4500012345)"):
                if kind == "agency":
                    commands.append(Command.create({"display_type": "line_section", "name": section}))
                for hours in (3, 5):
                    commands.append(
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": hours,
                                "price_unit": 95.0,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                    )
            return commands

        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": time.strftime("%Y-%m-%d"),
                    "ref": "4500012345",
                    "partner_bank_id": bank.id,
                    "invoice_line_ids": lines(kind),
                }
                for partner in partners
            ]
        )
        moves.action_post()
        sets[kind] = moves.ids
        env.cr.commit()
    env.cr.execute("ANALYZE")
    return sets


def send(env, ids):
    # one invoice per call, as Odoo's sending cron does: Debian's wkhtmltopdf (unpatched Qt) renders
    # one document at a time
    for move in env["account.move"].browse(ids):
        env["account.move.send"]._generate_and_send_invoices(move, sending_methods=["email"])
    env.cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="agency_bench_einvoice")
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse the generated invoices (already sent: no)")
    args = parser.parse_args()
    if not args.keep:
        install(args.config, args.db)
    env, cr = odoo_env(args.config, args.db)
    for run in range(args.runs):
        began = time.perf_counter()
        sets = generate(env, args.invoices)
        print(
            f"run {run + 1}: {2 * args.invoices} invoices generated in {time.perf_counter() - began:.0f} s", flush=True
        )
        timings = {"agency": 0.0, "odoo": 0.0}
        for start in range(0, args.invoices, BATCH):
            for kind in ("odoo", "agency") if (start // BATCH) % 2 else ("agency", "odoo"):
                began = time.perf_counter()
                send(env, sets[kind][start : start + BATCH])
                timings[kind] += time.perf_counter() - began
            done = min(start + BATCH, args.invoices)
            if done % PROGRESS == 0 and done < args.invoices:
                # so that a run stopped before its end still says what it measured
                print(
                    f"  after {done} + {done}: agency {timings['agency'] / done:.3f} s/invoice, "
                    f"Odoo {timings['odoo'] / done:.3f} s/invoice, ratio {timings['agency'] / timings['odoo']:.2f}",
                    flush=True,
                )
        moves = env["account.move"].browse(sets["agency"] + sets["odoo"])
        sent = moves.filtered(lambda move: move.ubl_cii_xml_id and move.invoice_pdf_report_id)
        per = {kind: timings[kind] / args.invoices for kind in timings}
        print(
            f"run {run + 1}: {args.invoices} agency invoices {per['agency']:.3f} s/invoice, "
            f"{args.invoices} Odoo invoices {per['odoo']:.3f} s/invoice, ratio {per['agency'] / per['odoo']:.2f} "
            f"({len(sent)}/{len(moves)} sent with PDF and UBL)",
            flush=True,
        )
    cr.close()


if __name__ == "__main__":
    main()
