#!/usr/bin/env python3
"""Benchmark: the daily reminder cron over 100,000 overdue invoices of 20,000
customers (each with an e-mail address), overdue 1 to 200 days.

Three runs: the daily run, where every invoice already had the reminders of the
levels it reached before today and only those crossing a level today are sent;
the same run again (which must send nothing); and a catch-up run where no
invoice was ever reminded, so that every customer gets a message at once.

Usage: python3 bench/crm_receivables_aging_reminders.py [--lines N]
[--customers N] [--db NAME] [--keep] [--reuse]. The cron is called batch after
batch, as Odoo's cron runner does when the job reports remaining work through
the cron progress.
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
    """Run the cron as Odoo's cron runner does: call it again, committing in
    between, as long as it reports work done and remaining through the cron
    progress. Returns the number of calls that sent reminders."""
    cron = env.ref("crm_receivables_aging.ir_cron_send_reminders")
    policy = env["aging.reminder.policy"]
    batches = 0
    while True:
        _cron, progress = cron._add_progress()
        env.cr.commit()
        policy.with_context(ir_cron_progress_id=progress.id)._cron_send_reminders()
        env.cr.commit()
        env.invalidate_all()
        batches += 1 if progress.done else 0
        if not (progress.done and progress.remaining):
            return batches


def set_levels_as_of_yesterday(env):
    """Mark every invoice with the level it reached yesterday, as the daily runs
    before today would have; or clear them all for a catch-up run."""
    env.cr.execute(
        """
        UPDATE account_move move
           SET aging_reminder_level_id = (
               SELECT level.id FROM aging_reminder_level level
                WHERE level.days <= CURRENT_DATE - 1 - move.invoice_date_due
                ORDER BY level.days DESC LIMIT 1)
         WHERE move.name LIKE 'RINV/%%'
        """
    )
    env.invalidate_all()


def last_log_id(env):
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM aging_reminder_log")
    return env.cr.fetchone()[0]


def report_run(env, label, elapsed, batches, before):
    env.cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT partner_id),
               (SELECT COUNT(*) FROM aging_reminder_log_move_rel rel
                  JOIN aging_reminder_log log ON log.id = rel.log_id
                 WHERE log.id > %s)
          FROM aging_reminder_log WHERE id > %s
        """,
        (before, before),
    )
    logs, partners, invoices = env.cr.fetchone()
    print(
        f"{label}: {elapsed:.1f} s in {batches} batch(es): {logs:,} reminders to "
        f"{partners:,} customers covering {invoices:,} invoices",
        flush=True,
    )


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
            env.cr.execute("DELETE FROM aging_reminder_log")
            set_levels_as_of_yesterday(env)
            env.cr.commit()
            for label in ("daily run", "second run the same day"):
                before = last_log_id(env)
                start = time.perf_counter()
                batches = run_cron(env)
                report_run(env, label, time.perf_counter() - start, batches, before)
            # Catch-up: nothing was ever reminded, every customer gets a message.
            env.cr.execute("UPDATE account_move SET aging_reminder_level_id = NULL")
            env.invalidate_all()
            env.cr.commit()
            before = last_log_id(env)
            start = time.perf_counter()
            batches = run_cron(env)
            report_run(
                env,
                "catch-up run (no invoice reminded before)",
                time.perf_counter() - start,
                batches,
                before,
            )
    finally:
        drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
