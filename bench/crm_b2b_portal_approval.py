#!/usr/bin/env python3
"""Benchmark: submit, approve (three steps) and place order of Premier quotes.

Target (SPEC.md section 6): each action under 500 ms.

    python3 bench/crm_b2b_portal_approval.py --db-host /tmp/pgdev --db-user odoo

Quotes of 20 lines from a 5,000-product catalogue go through a three-level
chain; every action is called as the portal member, the way the portal calls
it, and committed, so the timings include the e-mail notifications queued.
"""

import statistics
import time

from benchlib import create_database, drop_database, environment, parse_args
from crm_b2b_portal_common import make_account


def timed(env, figures, label, action):
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    action()
    env.cr.commit()
    figures.setdefault(label, []).append(
        (time.perf_counter() - start, env.cr.sql_log_count - queries)
    )


def main():
    args = parse_args(
        __doc__, db="b2b_bench_approval", products=5000, quotes=20, lines=20
    )
    create_database(args, "crm_b2b_portal")
    try:
        with environment(args) as env:
            env = env(context={"mail_notify_force_send": False})
            account, _category, members = make_account(env, args.products)
            env.cr.commit()
            products = env["product.template"].search(
                account._catalog_domain(), limit=args.lines
            )
            figures = {}
            for _n in range(args.quotes):
                requester = members["requester"].user_id
                quote = env["sale.order"].with_user(requester).b2b_portal_new_quote()
                for product in products:
                    quote.b2b_portal_add_product(product.id, [], 3)
                env.cr.commit()
                timed(env, figures, "submit", quote.action_b2b_submit)
                for key in ("lead", "head", "cfo"):
                    approver = quote.with_user(members[key].user_id)
                    timed(env, figures, f"approve ({key})", approver.action_b2b_approve)
                purchaser = quote.with_user(members["purchaser"].user_id)
                timed(env, figures, "place order", purchaser.action_b2b_place_order)
                assert quote.sudo().state == "sale"
            for label, rows in figures.items():
                times = [t * 1000 for t, _q in rows]
                print(
                    f"{label}: median {statistics.median(times):.0f} ms, "
                    f"max {max(times):.0f} ms, {rows[-1][1]} queries "
                    f"({len(rows)} quotes of {args.lines} lines)",
                    flush=True,
                )
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
