"""The scheduled billing as production runs it: real commits on a database of its own (tests/realdb.py),
the scheduled action run by Odoo's scheduler day after day, a worker killed with SIGKILL, two processes
finishing the month at once, staff holding a client's row (the lock an UPDATE of the client takes).

Sizes are modest for CI (56 and 60 clients); ``AGENCY_REALDB_CLIENTS`` runs the same scenarios bigger.
"""

import datetime
import os
import unittest

import psycopg2
from realdb import RealDatabase

CRON = "agency_billing.ir_cron_agency_billing_run"
CLIENTS = int(os.environ.get("AGENCY_REALDB_CLIENTS", "0"))

SETUP = """
days = {days!r}
hours = env['product.product'].create({{
    'name': 'Design hour', 'type': 'service', 'invoice_policy': 'delivery', 'list_price': 100,
    'taxes_id': [(5, 0, 0)],
}})
partners = env['res.partner'].create([
    {{'name': 'Client %03d' % index, 'is_company': True, 'agency_billing_policy': 'time_materials',
      'agency_billing_day': day}}
    for index, day in enumerate(days)
])
orders = env['sale.order'].create([
    {{'partner_id': partner.id, 'order_line': [
        (0, 0, {{'product_id': hours.id, 'product_uom_qty': 10, 'tax_ids': [(5, 0, 0)]}}),
        (0, 0, {{'product_id': hours.id, 'product_uom_qty': 6, 'price_unit': 80, 'tax_ids': [(5, 0, 0)]}}),
    ]}}
    for partner in partners
])
orders.action_confirm()
for line in orders.order_line:
    line.qty_delivered = line.product_uom_qty - 2
env.cr.execute('ANALYZE')
result['partners'] = partners.ids
result['days'] = dict(zip(partners.ids, days))
"""


class ScheduledBillingCase(unittest.TestCase):
    def _setup(self, db, days):
        made = db.run(SETUP.format(days=days), date="2026-10-30 10:00")
        return made["partners"], {int(key): value for key, value in made["days"].items()}

    def _staff(self, db, partner_ids):
        """Staff saving these clients: an UPDATE of their rows, not committed yet (the lock it takes)."""
        connection = psycopg2.connect(dbname=db.name, **db._connect_args)
        with connection.cursor() as cr:
            cr.execute("UPDATE res_partner SET comment = 'saved by staff' WHERE id IN %s", [tuple(partner_ids)])
        return connection

    def _invoices(self, db, partner_ids):
        """{client: [(invoice date, billing key)]}: the customer invoices of each client."""
        rows = db.sql(
            "SELECT commercial_partner_id, invoice_date, agency_billing_key FROM account_move "
            "WHERE move_type = 'out_invoice' AND state != 'cancel' AND commercial_partner_id IN %s",
            [tuple(partner_ids)],
        )
        invoices = {partner_id: [] for partner_id in partner_ids}
        for partner_id, invoice_date, key in rows:
            invoices[partner_id].append((invoice_date, key))
        return invoices

    def _assert_each_billed_once(self, db, partner_ids, invoices):
        missed = [partner for partner, found in invoices.items() if not found]
        twice = [partner for partner, found in invoices.items() if len(found) > 1]
        self.assertEqual((missed, twice), ([], []), "0 clients missed, 0 billed twice")
        keys = [key for found in invoices.values() for _date, key in found]
        self.assertEqual(len(keys), len(set(keys)))
        # every delivered line invoiced once: what is invoiced is what was delivered
        wrong = db.scalar(
            "SELECT count(*) FROM sale_order_line line JOIN sale_order so ON so.id = line.order_id "
            "JOIN res_partner client ON client.id = so.partner_id "
            "WHERE client.commercial_partner_id IN %s AND line.qty_invoiced != line.qty_delivered",
            [tuple(partner_ids)],
        )
        self.assertEqual(wrong, 0)
        states = dict(
            db.sql(
                "SELECT state, count(*) FROM agency_billing_schedule WHERE partner_id IN %s GROUP BY state",
                [tuple(partner_ids)],
            )
        )
        self.assertEqual(states, {"billed": len(partner_ids)})


MONTH = """
import psycopg2
from freezegun import freeze_time
from realdb_worker import run_cron

held, billing_day = {held!r}, {billing_day!r}
dsn = {dsn!r}
result['days'] = []
for day in range(1, 31):
    held_today = [partner for partner in held if billing_day[partner] == day]
    staff = None
    if held_today:  # staff saving these clients: an UPDATE of their rows, not committed yet
        staff = psycopg2.connect(**dsn)
        staff.cursor().execute("UPDATE res_partner SET comment = 'saved' WHERE id IN %s", [tuple(held_today)])
    with freeze_time('2026-11-%02d 06:00' % day, tick=True):
        outcome = run_cron(env.registry, env.cr.dbname, {cron!r}, 100)
    seen = []
    if staff:
        with env.registry.cursor() as cr:
            cr.execute(
                "SELECT state, last_reason, attempt_count FROM agency_billing_schedule WHERE partner_id IN %s",
                [tuple(held_today)],
            )
            seen = cr.fetchall()
        staff.commit()
        staff.close()
    result['days'].append({{'day': day, 'failures': outcome['failures'], 'held': seen}})
"""


class TestScheduledBillingMonth(ScheduledBillingCase):
    def test_a_month_day_by_day_with_clients_held_on_their_day(self):
        """Clients on billing days 1 to 28, the scheduled action run by Odoo's scheduler each day of
        November (one long-lived Odoo process, as a server's cron thread); on its day, one client in ten
        is held by staff during the run. Every invoice is dated on its client's billing day; a held
        client is billed at the next day's run, dated that day."""
        count = CLIENTS or 56
        days = [index % 28 + 1 for index in range(count)]
        with RealDatabase("month") as db:
            partner_ids, billing_day = self._setup(db, days)
            held = sorted(partner_ids[::10])
            dsn = {"dbname": db.name, **db._connect_args}
            month = db.run(MONTH.format(held=held, billing_day=billing_day, dsn=dsn, cron=CRON), timeout=900)
            for day in month["days"]:
                self.assertEqual(day["failures"], 0, day)
                for state, reason, attempts in day["held"]:
                    self.assertEqual((state, reason, attempts), ("retry", "locked", 1), day)
            self.assertEqual(sum(len(day["held"]) for day in month["days"]), len(held))
            invoices = self._invoices(db, partner_ids)
            self._assert_each_billed_once(db, partner_ids, invoices)
            wrong_dates = {
                partner: found[0][0]
                for partner, found in invoices.items()
                if found[0][0] != datetime.date(2026, 11, billing_day[partner] + (partner in held))
            }
            self.assertEqual(wrong_dates, {}, "every invoice on its client's day (held ones: the next day)")
            attempts = dict(
                db.sql(
                    "SELECT partner_id, attempt_count FROM agency_billing_schedule WHERE partner_id IN %s",
                    [tuple(held)],
                )
            )
            self.assertEqual(set(attempts.values()), {2})
            runs = db.sql("SELECT count(*), min(state) FROM agency_billing_run WHERE trigger = 'cron'")
            self.assertEqual(runs, [(1, "in_progress")], "one scheduled run for the month")


class TestScheduledBillingKilled(ScheduledBillingCase):
    def test_killed_worker_then_two_processes_and_staff_at_once(self):
        """The scheduled billing killed with SIGKILL after its first batch; then Odoo's scheduler and a
        second process calling the scheduled method finish the day at once, while staff hold (then
        save) three clients not billed yet. Nobody is missed, nobody billed twice, every delivered line
        invoiced once; the held clients are billed at the next run if they were still held."""
        count = CLIENTS or 60
        date = "2026-11-05 06:00"
        with RealDatabase("killed") as db:
            partner_ids, _days = self._setup(db, [5] * count)
            first = db.start(cron=CRON, date=date)
            query = "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'"
            db.wait_until(query, lambda n: n >= 20, worker=first, timeout=300)
            first.kill()
            billed_before = db.scalar(query)
            self.assertLess(billed_before, count, "killed mid-run")
            held = [
                row[0]
                for row in db.sql(
                    "SELECT partner_id FROM agency_billing_schedule WHERE state = 'pending' ORDER BY id DESC LIMIT 3"
                )
            ]
            self.assertEqual(len(held), 3)
            staff = self._staff(db, held)
            scheduler = db.start(cron=CRON, date=date)
            other = db.start("env['agency.billing.run']._cron_bill_due_clients()", date=date)
            db.wait_until(query, lambda n: n >= billed_before + 10, worker=scheduler, timeout=300)
            staff.commit()  # saved while the run goes on
            staff.close()
            self.assertEqual(scheduler.wait()["cron"]["failures"], 0)
            other.wait()
            still = [row[0] for row in db.sql("SELECT partner_id FROM agency_billing_schedule WHERE state != 'billed'")]
            self.assertLessEqual(set(still), set(held), "only the held clients may wait")
            db.run_cron(CRON, date="2026-11-06 06:00")
            invoices = self._invoices(db, partner_ids)
            self._assert_each_billed_once(db, partner_ids, invoices)
            dates = {found[0][0] for partner, found in invoices.items() if partner not in still}
            self.assertEqual(dates, {datetime.date(2026, 11, 5)})
            self.assertEqual(
                {found[0][0] for partner, found in invoices.items() if partner in still},
                {datetime.date(2026, 11, 6)} if still else set(),
            )
