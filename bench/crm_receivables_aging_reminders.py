#!/usr/bin/env python3
"""Benchmark: the daily reminder cron over 100,000 overdue invoices of 20,000
customers (each with an e-mail address), sent by level, one message per
customer, then run again (which must send nothing).

Usage: python3 bench/crm_receivables_aging_reminders.py [--lines N]
[--customers N] [--keep] [--reuse]. The cron is called batch after batch, as
Odoo's cron runner does when the job reports remaining work.
"""

import sys
import time

from crm_receivables_aging_common import (
    create_customers,
    create_database,
    drop_database,
    odoo_env,
    parse_args,
    receivable_setup,
)


def generate(env, customers, invoices):
    """Posted invoices overdue 1 to 200 days, one receivable line each."""
    cr = env.cr
    ids = receivable_setup(env)
    first, _last = create_customers(cr, customers)
    params = dict(ids, first=first, customers=customers, invoices=invoices)
    start = time.perf_counter()
    cr.execute(
        """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, date,
               invoice_date, invoice_date_due, state, move_type, auto_post,
               partner_id, commercial_partner_id, payment_state, amount_total,
               amount_residual, amount_total_signed, amount_residual_signed,
               create_date, write_date)
        SELECT 'RINV/' || n, %(journal)s, %(company)s, %(currency)s,
               CURRENT_DATE - 30 - (n %% 200), CURRENT_DATE - 30 - (n %% 200),
               CURRENT_DATE - 1 - (n %% 200), 'posted', 'out_invoice', 'no',
               %(first)s + (n %% %(customers)s), %(first)s + (n %% %(customers)s),
               'not_paid', 500, 500, 500, 500, NOW(), NOW()
          FROM generate_series(1, %(invoices)s) n
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, date,
               invoice_date, date_maturity, parent_state, display_type, name,
               debit, credit, balance, amount_currency, amount_residual,
               amount_residual_currency, reconciled, create_date, write_date)
        SELECT m.id, m.name, m.journal_id, m.company_id, m.currency_id,
               m.currency_id, acc.account_id, m.partner_id, m.date, m.date,
               m.invoice_date_due, 'posted', acc.display_type, 'Appliances',
               acc.debit, acc.credit, acc.debit - acc.credit,
               acc.debit - acc.credit, acc.residual, acc.residual, FALSE,
               NOW(), NOW()
          FROM account_move m
         CROSS JOIN LATERAL (VALUES
               (%(receivable)s, 'payment_term', 500, 0, 500),
               (%(income)s, 'product', 0, 500, 0))
               AS acc(account_id, display_type, debit, credit, residual)
         WHERE m.name LIKE 'RINV/%%'
        """,
        params,
    )
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    print(
        f"generated {invoices:,} overdue invoices of {customers:,} customers in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    env.invalidate_all()


def run_cron(env):
    """Run the cron until it reports nothing left, committing between batches."""
    policy = env["aging.reminder.policy"]
    batches = 0
    while True:
        groups = policy._get_reminder_candidates(env["res.company"].search([]))
        if not groups:
            return batches
        policy._cron_send_reminders()
        env.cr.commit()
        env.invalidate_all()
        batches += 1


def main():
    args = parse_args(
        __doc__, db="aging_bench_reminders", customers=20000, lines=100000
    )
    create_database(args)
    try:
        with odoo_env(args) as env:
            env.cr.execute("SELECT 1 FROM account_move WHERE name = 'RINV/1'")
            if not env.cr.fetchone():
                generate(env, args.customers, args.lines)
                env.cr.commit()
            start = time.perf_counter()
            batches = run_cron(env)
            elapsed = time.perf_counter() - start
            env.cr.execute(
                "SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM aging_reminder_log"
            )
            logs, partners = env.cr.fetchone()
            env.cr.execute("SELECT COUNT(*) FROM aging_reminder_log_move_rel")
            reminded = env.cr.fetchone()[0]
            env.cr.execute(
                "SELECT channel, COUNT(*) FROM aging_reminder_log GROUP BY 1"
            )
            channels = dict(env.cr.fetchall())
            print(
                f"reminder cron: {elapsed:.1f} s in {batches} batches (target < 60 s): "
                f"{logs:,} reminders to {partners:,} customers covering "
                f"{reminded:,} invoices; by channel {channels}"
            )
            start = time.perf_counter()
            env["aging.reminder.policy"]._cron_send_reminders()
            env.cr.execute("SELECT COUNT(*) FROM aging_reminder_log")
            again = env.cr.fetchone()[0] - logs
            print(
                f"second run the same day: {time.perf_counter() - start:.1f} s, "
                f"{again} new reminders"
            )
    finally:
        drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
