#!/usr/bin/env python3
"""Benchmark: caller lookup by phone number among many partners.

Target (SPEC.md section 4.1): caller lookup by phone among 1,000,000
partners under 50 ms, through the index on the normalised number.

    python3 bench/crm_haier_css_phone_lookup.py --db-host /tmp/pgdev --db-user odoo

Partners are inserted in SQL with numbers written in several national and
international formats; their normalised numbers are computed by the addon's
own normaliser (the one the ORM uses), then callers are looked up by numbers
written in yet other formats.
"""

import io
import random
import statistics
import time

from benchlib import create_database, drop_database, environment, measure, parse_args

FORMATS = [
    "+86 {a} {b} {c}",
    "0{a}-{b}-{c}",
    "(0{a}) {b} {c}",
    "0086 {a} {b}{c}",
]
LOOKUP_FORMATS = ["0{a}{b}{c}", "+86-{a}-{b}-{c}", "+86 (0){a} {b} {c}"]


def number_parts(n):
    # 3-digit area code, 4 + 4 digits subscriber: unique per n below 10**8.
    return {
        "a": 500 + n % 300,
        "b": f"{n // 10000 % 10000:04d}",
        "c": f"{n % 10000:04d}",
    }


def generate(env, partners):
    """COPY ``partners`` partners with phone and normalised phone."""
    # Importable once the environment has set the addons path up.
    from odoo.addons.crm_haier_css.tools.phone import normalize_phone

    cr = env.cr
    country = env.ref("base.cn")
    env.company.country_id = country
    code = country.phone_code
    chunk = 100_000
    for start in range(0, partners, chunk):
        buf = io.StringIO()
        for n in range(start, min(start + chunk, partners)):
            phone = FORMATS[n % len(FORMATS)].format(**number_parts(n))
            name = f"Bench customer {n}"
            buf.write(
                f"{name}\t{name}\tf\tt\task\tcontact\t{country.id}\t{phone}\t"
                f"{normalize_phone(phone, code)}\n"
            )
        buf.seek(0)
        cr.copy_expert(
            "COPY res_partner (name, complete_name, is_company, active, "
            "autopost_bills, type, country_id, phone, css_phone_normalized) "
            "FROM STDIN",
            buf,
        )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )
    cr.execute("ANALYZE res_partner")


def main():
    args = parse_args(
        __doc__, db="css_bench_phone_lookup", partners=1_000_000, lookups=2000
    )
    create_database(args, "crm_haier_css")
    try:
        with environment(args) as env:
            with measure(f"generate {args.partners} partners"):
                generate(env, args.partners)
                env.cr.commit()
            Partner = env["res.partner"]
            rng = random.Random(42)
            targets = [rng.randrange(args.partners) for _i in range(args.lookups)]
            env.cr.execute(
                "EXPLAIN SELECT id FROM res_partner WHERE css_phone_normalized = "
                "'+865001234567' OR css_mobile_normalized = '+865001234567'"
            )
            print("  plan:", " | ".join(row[0].strip() for row in env.cr.fetchall()))
            timings = []
            misses = 0
            start_queries = env.cr.sql_log_count
            with measure(f"{args.lookups} lookups", env.cr):
                for i, n in enumerate(targets):
                    number = LOOKUP_FORMATS[i % len(LOOKUP_FORMATS)].format(
                        **number_parts(n)
                    )
                    env.invalidate_all()
                    begin = time.perf_counter()
                    found = Partner._css_search_by_phone(number)
                    found.mapped("name")
                    timings.append((time.perf_counter() - begin) * 1000)
                    misses += found.mapped("name") != [f"Bench customer {n}"]
            timings.sort()
            print(
                f"  lookup (target < 50 ms): mean {statistics.mean(timings):.2f} ms, "
                f"median {statistics.median(timings):.2f} ms, "
                f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
                f"max {timings[-1]:.2f} ms; wrong or missing: {misses}; "
                f"{(env.cr.sql_log_count - start_queries) / args.lookups:.1f} "
                "queries per lookup"
            )
            intake_times = []
            for n in targets[:200]:
                env.invalidate_all()
                begin = time.perf_counter()
                intake = env["css.phone.intake"].create(
                    {"phone": "0{a} {b} {c}".format(**number_parts(n))}
                )
                intake.partner_id  # noqa: B018 - the screen-pop computes the card
                intake.open_case_ids  # noqa: B018
                intake_times.append((time.perf_counter() - begin) * 1000)
            intake_times.sort()
            print(
                f"  screen pop (lookup + 360 card), 200 calls: median "
                f"{statistics.median(intake_times):.2f} ms, "
                f"p95 {intake_times[int(len(intake_times) * 0.95)]:.2f} ms"
            )
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
