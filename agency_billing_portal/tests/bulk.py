"""Many invoices fast, for query-count tests and the portal benchmark.

Creating invoices through the ORM runs at about 5 per second on 2 cores (mostly Python: dynamic lines,
taxes). A customer's history of hundreds of invoices is made here in SQL instead: the rows of one
posted invoice made by the ORM (its ``account_move`` row and journal items) are copied N times with
``INSERT ... SELECT ... generate_series``, each copy with its own number, dates and access token.
Copies are identical to their model in every stored field (amounts, residuals, payment state), so
they are as real to Odoo's reports, portal and reconciliation as the model itself.
"""

import uuid

from odoo.tools import SQL


def _columns(cr, table, skip):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = 'public'",
        [table],
    )
    return [name for (name,) in cr.fetchall() if name not in skip]


def clone_invoices(invoice, count, days_apart=1):
    """``count`` copies of the posted ``invoice``, dated one day apart backwards; returns their ids."""
    env = invoice.env
    cr = env.cr
    env.flush_all()
    special = {
        "id",
        "name",
        "date",
        "invoice_date",
        "invoice_date_due",
        "access_token",
        "payment_reference",
        "agency_billing_key",
        "agency_first_viewed_date",
        "sequence_number",
        "create_date",
        "write_date",
    }
    move_cols = _columns(cr, "account_move", special)
    token = uuid.uuid4().hex[:8]
    cr.execute(
        SQL(
            """
            INSERT INTO account_move (%(cols)s, name, payment_reference, sequence_number, date, invoice_date,
                                      invoice_date_due, access_token, create_date, write_date)
                 SELECT %(cols)s, m.name || '-' || %(tag)s || '-' || n, m.name || '-' || %(tag)s || '-' || n,
                        m.sequence_number, m.date - n * %(days)s, m.invoice_date - n * %(days)s,
                        m.invoice_date_due - n * %(days)s, md5(random()::text), now(), now()
                   FROM account_move m, generate_series(1, %(count)s) n
                  WHERE m.id = %(id)s
            RETURNING id
            """,
            cols=SQL(", ").join(SQL.identifier(col) for col in move_cols),
            tag=token,
            days=days_apart,
            count=count,
            id=invoice.id,
        )
    )
    new_ids = [row[0] for row in cr.fetchall()]
    line_special = {"id", "move_id", "move_name", "date", "date_maturity", "create_date", "write_date"}
    line_cols = _columns(cr, "account_move_line", line_special)
    cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (%(cols)s, move_id, move_name, date, date_maturity, create_date, write_date)
                 SELECT %(line_cols)s, m.id, m.name, m.date,
                        l.date_maturity - (src.date - m.date), now(), now()
                   FROM account_move m
                   JOIN account_move src ON src.id = %(id)s
                   JOIN account_move_line l ON l.move_id = src.id
                  WHERE m.id = ANY(%(new_ids)s)
            """,
            cols=SQL(", ").join(SQL.identifier(col) for col in line_cols),
            line_cols=SQL(", ").join(SQL("l.%s", SQL.identifier(col)) for col in line_cols),
            id=invoice.id,
            new_ids=new_ids,
        )
    )
    env.invalidate_all()
    return env["account.move"].browse(new_ids)
