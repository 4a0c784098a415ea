#!/usr/bin/env python3
"""Benchmark: compute_aging over 1,000,000 open receivable lines of 20,000
customers, against one plain SQL GROUP BY over the same lines.

Usage: python3 bench/crm_receivables_aging_aging.py [--lines N] [--customers N]
[--keep] [--reuse]. Prints seconds and peak memory; OCA's report is not run.
"""

import sys
import time
from datetime import timedelta

from crm_receivables_aging_common import (
    best_time,
    create_customers,
    create_database,
    drop_database,
    odoo_env,
    parse_args,
    peak_memory,
    receivable_setup,
)

INSTALLMENTS = 4


def generate(env, customers, lines):
    """Invoices with four installments each (the open lines), a tenth of those
    lines partly paid, and fully paid invoices whose payments came in the last
    150 days (open again as of 90 days back)."""
    cr = env.cr
    ids = receivable_setup(env)
    first, _last = create_customers(cr, customers)
    params = dict(ids, first=first, customers=customers)
    moves = lines // INSTALLMENTS
    closed = lines // 20
    start = time.perf_counter()
    # Open invoices, spread over the last 400 days.
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, date,
               invoice_date, invoice_date_due, state, move_type, auto_post,
               partner_id, commercial_partner_id, payment_state, create_date,
               write_date)
        SELECT 'BINV/' || n, %(journal)s, %(company)s, %(currency)s,
               CURRENT_DATE - (n %% 400), CURRENT_DATE - (n %% 400),
               CURRENT_DATE - (n %% 400) + 90, 'posted', 'out_invoice', 'no',
               %(first)s + (n %% %(customers)s), %(first)s + (n %% %(customers)s),
               'not_paid', NOW(), NOW()
          FROM generate_series(1, %(moves)s) n
        """,
        dict(params, moves=moves),
    )
    # Fully paid invoices.
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, date,
               invoice_date, invoice_date_due, state, move_type, auto_post,
               partner_id, commercial_partner_id, payment_state, create_date,
               write_date)
        SELECT 'BPAID/' || n, %(journal)s, %(company)s, %(currency)s,
               CURRENT_DATE - 200 + (n %% 40), CURRENT_DATE - 200 + (n %% 40),
               CURRENT_DATE - 170 + (n %% 40), 'posted', 'out_invoice', 'no',
               %(first)s + (n %% %(customers)s), %(first)s + (n %% %(customers)s),
               'paid', NOW(), NOW()
          FROM generate_series(1, %(closed)s) n
        """,
        dict(params, closed=closed),
    )
    # Receivable lines: four installments of the open invoices, one of the paid.
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, date,
               invoice_date, date_maturity, parent_state, display_type, name,
               debit, credit, balance, amount_currency, amount_residual,
               amount_residual_currency, reconciled, create_date, write_date)
        SELECT m.id, m.name, m.journal_id, m.company_id, m.currency_id,
               m.currency_id, %(receivable)s, m.partner_id, m.date, m.date,
               m.date + 30 * k, 'posted', 'payment_term', 'installment',
               amount, 0, amount, amount,
               CASE WHEN m.payment_state = 'paid' THEN 0 ELSE amount END,
               CASE WHEN m.payment_state = 'paid' THEN 0 ELSE amount END,
               m.payment_state = 'paid', NOW(), NOW()
          FROM account_move m
         CROSS JOIN LATERAL generate_series(
               0, CASE WHEN m.payment_state = 'paid' THEN 0 ELSE %(last)s END) k
         CROSS JOIN LATERAL (SELECT 100 + (m.id * 7 + k * 13) %% 900 AS amount) a
         WHERE m.name LIKE 'BINV/%%' OR m.name LIKE 'BPAID/%%'
        """,
        dict(params, last=INSTALLMENTS - 1),
    )
    # Income lines balancing the invoices.
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, date,
               parent_state, display_type, name, debit, credit, balance,
               amount_currency, amount_residual, amount_residual_currency,
               reconciled, create_date, write_date)
        SELECT l.move_id, MIN(l.move_name), MIN(l.journal_id), MIN(l.company_id),
               MIN(l.currency_id), MIN(l.currency_id), %(income)s,
               MIN(l.partner_id), MIN(l.date), 'posted', 'product', 'Appliances',
               0, SUM(l.balance), -SUM(l.balance), -SUM(l.balance), 0, 0, FALSE,
               NOW(), NOW()
          FROM account_move_line l
         WHERE l.account_id = %(receivable)s
         GROUP BY l.move_id
        """,
        params,
    )
    # Payments: 30%% of every tenth open line, and the whole paid invoices.
    cr.execute(
        """
        CREATE TEMP TABLE bench_paid AS
        SELECT l.id AS line_id, l.partner_id, l.date AS line_date,
               CASE WHEN l.reconciled THEN l.balance
                    ELSE ROUND(l.balance * 0.3, 2) END AS amount,
               CASE WHEN l.reconciled THEN CURRENT_DATE - (l.id %% 150)
                    ELSE GREATEST(l.date, CURRENT_DATE - (l.id %% 120)) END AS pay_date,
               l.reconciled AS full
          FROM account_move_line l
         WHERE l.account_id = %(receivable)s
           AND (l.reconciled OR l.id %% 10 = 0)
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, date,
               state, move_type, auto_post, partner_id, commercial_partner_id,
               create_date, write_date)
        SELECT 'BPAY/' || p.line_id, %(bank)s, %(company)s, %(currency)s,
               p.pay_date, 'posted', 'entry', 'no', p.partner_id, p.partner_id,
               NOW(), NOW()
          FROM bench_paid p
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, date,
               date_maturity, parent_state, display_type, name, debit, credit,
               balance, amount_currency, amount_residual, amount_residual_currency,
               reconciled, create_date, write_date)
        SELECT m.id, m.name, m.journal_id, m.company_id, m.currency_id,
               m.currency_id, acc.account_id, m.partner_id, m.date, m.date,
               'posted', 'entry', 'Payment', acc.debit, acc.credit,
               acc.debit - acc.credit, acc.debit - acc.credit, 0, 0,
               acc.account_id = %(receivable)s, NOW(), NOW()
          FROM bench_paid p
          JOIN account_move m ON m.name = 'BPAY/' || p.line_id
         CROSS JOIN LATERAL (VALUES (%(receivable)s, 0, p.amount),
                                    (%(cash)s, p.amount, 0))
               AS acc(account_id, debit, credit)
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id,
               amount, debit_amount_currency, credit_amount_currency,
               debit_currency_id, credit_currency_id, company_id, max_date,
               create_date, write_date)
        SELECT p.line_id, l.id, p.amount, p.amount, p.amount, %(currency)s,
               %(currency)s, %(company)s,
               GREATEST(p.line_date, p.pay_date), NOW(), NOW()
          FROM bench_paid p
          JOIN account_move m ON m.name = 'BPAY/' || p.line_id
          JOIN account_move_line l ON l.move_id = m.id
                                  AND l.account_id = %(receivable)s
        """,
        params,
    )
    cr.execute(
        """
        UPDATE account_move_line l
           SET amount_residual = l.amount_residual - p.amount,
               amount_residual_currency = l.amount_residual_currency - p.amount
          FROM bench_paid p
         WHERE l.id = p.line_id AND NOT p.full
        """
    )
    cr.execute("ANALYZE account_move_line")
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_partial_reconcile")
    cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT partner_id)
          FROM account_move_line
         WHERE account_id = %(receivable)s AND reconciled IS NOT TRUE
        """,
        params,
    )
    open_lines, open_customers = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM account_partial_reconcile")
    partials = cr.fetchone()[0]
    print(
        f"generated {open_lines:,} open receivable lines of {open_customers:,} "
        f"customers, {partials:,} reconciliations in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    env.invalidate_all()
    return params


def plain_group_by(env, receivable):
    """The reference: one GROUP BY with CASE buckets over the open lines."""
    env.cr.execute(
        """
        SELECT partner_id, SUM(amount_residual),
               SUM(CASE WHEN d <= 0 THEN amount_residual END),
               SUM(CASE WHEN d BETWEEN 1 AND 30 THEN amount_residual END),
               SUM(CASE WHEN d BETWEEN 31 AND 60 THEN amount_residual END),
               SUM(CASE WHEN d BETWEEN 61 AND 90 THEN amount_residual END),
               SUM(CASE WHEN d BETWEEN 91 AND 180 THEN amount_residual END),
               SUM(CASE WHEN d > 180 THEN amount_residual END)
          FROM (SELECT partner_id, amount_residual,
                       CURRENT_DATE - COALESCE(date_maturity, date) AS d
                  FROM account_move_line
                 WHERE account_id = %s AND reconciled IS NOT TRUE
                   AND parent_state = 'posted') l
         GROUP BY partner_id
        """,
        (receivable,),
    )
    return env.cr.fetchall()


def direct_total_as_of(env, receivable, as_of_date):
    """Cross-check: the balance less the reconciliations dated by then, summed
    over every receivable line that existed then."""
    env.cr.execute(
        """
        SELECT SUM(l.balance - COALESCE(d.amount, 0) + COALESCE(c.amount, 0))
          FROM account_move_line l
          LEFT JOIN (SELECT debit_move_id AS id, SUM(amount) AS amount
                       FROM account_partial_reconcile WHERE max_date <= %(date)s
                      GROUP BY debit_move_id) d ON d.id = l.id
          LEFT JOIN (SELECT credit_move_id AS id, SUM(amount) AS amount
                       FROM account_partial_reconcile WHERE max_date <= %(date)s
                      GROUP BY credit_move_id) c ON c.id = l.id
         WHERE l.account_id = %(account)s AND l.date <= %(date)s
           AND l.parent_state = 'posted'
        """,
        {"account": receivable, "date": as_of_date},
    )
    return env.cr.fetchone()[0]


def main():
    args = parse_args(__doc__, customers=20000, lines=1000000)
    create_database(args)
    try:
        with odoo_env(args) as env:
            env.cr.execute("SELECT 1 FROM account_move WHERE name = 'BINV/1'")
            params = (
                receivable_setup(env)
                if env.cr.fetchone()
                else generate(env, args.customers, args.lines)
            )
            env.cr.commit()
            from odoo import fields

            aging = env["aging.report"]
            _peak, rss_before = peak_memory(lambda: None)
            back = fields.Date.context_today(aging) - timedelta(days=90)
            receivable = params["receivable"]
            plain_s, plain = best_time(lambda: plain_group_by(env, receivable))
            aging_s, rows = best_time(lambda: aging.compute_aging())
            back_s, rows_back = best_time(lambda: aging.compute_aging(as_of_date=back))
            peak, rss = peak_memory(lambda: aging.compute_aging())
            report = aging.create({})
            xlsx_s, xlsx = best_time(report._render_xlsx, repeat=2)
            assert len(rows) == len(plain), (len(rows), len(plain))
            assert abs(sum(r["total"] for r in rows) - sum(p[1] for p in plain)) < 1
            direct = direct_total_as_of(env, receivable, back)
            aged = sum(r["total"] for r in rows_back)
            assert abs(direct - aged) < 1, (direct, aged)
            print(f"as-of total {aged:,.2f} equals the direct one {direct:,.2f}")
            print(f"plain SQL GROUP BY ({len(plain):,} customers)   {plain_s:7.3f} s")
            print(
                f"compute_aging() as of today              {aging_s:7.3f} s  "
                f"({aging_s / plain_s:.2f}x the plain query; target < 2x)"
            )
            print(
                f"compute_aging() as of {back} ({len(rows_back):,} rows) "
                f"{back_s:7.3f} s  (target < 4 s)"
            )
            print(
                f"XLSX export of all customers ({len(xlsx) / 1024:.0f} KiB)  "
                f"{xlsx_s:7.3f} s  (target < 5 s)"
            )
            print(
                f"compute_aging() peak Python allocation    {peak:7.1f} MB; "
                f"process max RSS {rss:.0f} MB, of which Odoo loaded before it "
                f"{rss_before:.0f} MB (target < 300 MB)"
            )
            env.cr.rollback()
    finally:
        drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
