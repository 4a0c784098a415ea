#!/usr/bin/env python3
"""Benchmark: field service routing, free slots and outlet scorecards.

Targets (SPEC.md section 4.2 and its benchmarks):

* routing 10,000 new cases to outlets and technicians under 10 s, with a
  query count that does not grow per case;
* free slots of an outlet with 20 technicians over 14 days under 200 ms;
* outlet scorecards over 1,000,000 done visits under 5 s.

    python3 bench/crm_haier_css_field_service.py --db-host /tmp/pgdev --db-user odoo

Twenty outlets with twenty certified technicians each cover postcode
prefixes 300-319; customers and new cases are inserted in SQL and routed
with ``css.case.action_route()`` in one call, first a small batch then the
full one, so that both query counts can be compared. The done visits of the
scorecard are inserted in SQL (one visit in two has a part line, one product
in four comes back within 30 days).
"""

import statistics
import time
from datetime import datetime, timedelta

from benchlib import create_database, drop_database, environment, measure, parse_args

from odoo import Command
from odoo.tools import SQL

OUTLETS = 20


def setup(env, technicians_per_outlet):
    """Outlets, technicians with a valid certification, customers, a product."""
    cr = env.cr
    company = env.company
    company.write(
        {"css_visit_hours": 2.0, "css_slot_days": 14, "country_id": env.ref("base.cn")}
    )
    categ = env["product.category"].create({"name": "Bench appliances"})
    product = env["product.product"].create(
        {"name": "Bench washer", "categ_id": categ.id, "type": "consu"}
    )
    part = env["product.product"].create(
        {"name": "Bench pump", "type": "consu", "standard_price": 60.0}
    )
    skill = env["css.skill"].create(
        {
            "name": "Bench washer repair",
            "product_category_ids": [Command.set(categ.ids)],
            "case_type_ids": [
                Command.set(env.ref("crm_haier_css.css_case_type_repair").ids)
            ],
        }
    )
    group = env.ref("crm_haier_css.group_css_technician")
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True, tracking_disable=True
    )
    technicians = Users.create(
        [
            {
                "name": f"Bench technician {outlet}-{index}",
                "login": f"bench_tech_{outlet}_{index}",
                "groups_id": [Command.set(group.ids)],
            }
            for outlet in range(OUTLETS)
            for index in range(technicians_per_outlet)
        ]
    )
    env["css.certification"].create(
        [
            {"user_id": user.id, "skill_id": skill.id, "date_obtained": "2020-01-01"}
            for user in technicians
        ]
    )
    dispatcher = Users.create(
        {
            "name": "Bench dispatcher",
            "login": "bench_dispatcher",
            "groups_id": [
                Command.set(env.ref("crm_haier_css.group_css_dispatcher").ids)
            ],
        }
    )
    company.css_dispatcher_id = dispatcher
    env["css.service.center"].search([]).active = False
    env["css.service.center"].with_context(tracking_disable=True).create(
        [
            {
                "name": f"Bench outlet {outlet}",
                "zip_prefixes": f"3{outlet:02d}",
                "technician_ids": [
                    Command.set(
                        technicians[
                            outlet * technicians_per_outlet : (outlet + 1)
                            * technicians_per_outlet
                        ].ids
                    )
                ],
                "resource_calendar_id": company.resource_calendar_id.id,
            }
            for outlet in range(OUTLETS)
        ]
    )
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active,
                autopost_bills, type, zip, country_id)
            SELECT 'Bench customer ' || g, 'Bench customer ' || g, FALSE, TRUE,
                   'ask', 'contact',
                   '3' || lpad(mod(g, %(outlets)s)::text, 2, '0')
                       || lpad(mod(g, 1000)::text, 3, '0'),
                   %(country)s
              FROM generate_series(1, 5000) g;
            UPDATE res_partner SET commercial_partner_id = id
             WHERE name LIKE %(customers)s;
            INSERT INTO css_asset (partner_id, product_id, company_id, serial,
                active, create_date, write_date, create_uid, write_uid)
            SELECT id, %(product)s, %(company)s, 'BENCH-' || id, TRUE,
                   now(), now(), 1, 1
              FROM res_partner WHERE name LIKE %(customers)s;
            ANALYZE res_partner;
            ANALYZE css_asset;
            """,
            outlets=OUTLETS,
            customers="Bench customer %",
            country=env.ref("base.cn").id,
            product=product.id,
            company=company.id,
        )
    )
    return product, part, skill


def generate_cases(env, product, count, offset):
    """Insert ``count`` new repair cases of the bench customers; return them."""
    stage = env.ref("crm_haier_css.css_stage_new")
    env.cr.execute(
        SQL(
            """
            WITH partners AS (
                SELECT array_agg(id ORDER BY id) AS ids FROM res_partner
                 WHERE name LIKE %(customers)s
            )
            INSERT INTO css_case (name, company_id, partner_id, commercial_partner_id,
                asset_id, product_id, channel, case_type, priority, reported_date,
                sla_start_date, stage_id, state, is_open, active, sla_status,
                escalation_level, create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH' || (g + %(offset)s), %(company)s,
                   p.ids[1 + mod(g, array_length(p.ids, 1))],
                   p.ids[1 + mod(g, array_length(p.ids, 1))],
                   NULL, %(product)s, 'phone', 'repair', '0', now(), now(),
                   %(stage)s, 'new', TRUE, TRUE, 'on_track', 0,
                   now(), now(), 1, 1
              FROM generate_series(1, %(count)s) g, partners p
            RETURNING id
            """,
            offset=offset,
            customers="Bench customer %",
            company=env.company.id,
            product=product.id,
            stage=stage.id,
            count=count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("ANALYZE css_case")
    env.cr.commit()
    return env["css.case"].browse(ids)


def route(env, cases, label):
    """Route the cases in one call as the dispatcher would; return the queries."""
    env.invalidate_all()
    start = env.cr.sql_log_count
    with measure(label, env.cr):
        cases.action_route()
        env.flush_all()
    queries = env.cr.sql_log_count - start
    env.cr.commit()
    routed = env["css.service.order"].search_count([("case_id", "in", cases.ids)])
    print(f"  {routed} of {len(cases)} cases routed", flush=True)
    return queries


def clear(env):
    """Remove what an earlier run on a reused database left."""
    env.cr.execute(
        "DELETE FROM css_service_order_line; DELETE FROM css_service_order; "
        "DELETE FROM mail_activity WHERE res_model = 'css.case'; "
        "DELETE FROM mail_message WHERE model = 'css.case'; "
        "DELETE FROM css_case WHERE name LIKE 'BENCH%'"
    )
    env.cr.commit()
    env.invalidate_all()


def bench_routing(env, args, product):
    clear(env)
    route(env, generate_cases(env, product, 10, 10**8), "route 10 cases (warm-up)")
    small = route(
        env,
        generate_cases(env, product, args.small, 0),
        f"route {args.small} new cases",
    )
    big = route(
        env,
        generate_cases(env, product, args.cases, args.small),
        f"route {args.cases} new cases (target < 10 s)",
    )
    print(f"  queries: {small} for {args.small} cases, {big} for {args.cases} cases")


def bench_slots(env, skill, repeats):
    """Free windows of the busiest outlet over 14 days, as the portal asks."""
    outlet = env["css.service.center"].search([("name", "=", "Bench outlet 0")])
    now = datetime.now().replace(second=0, microsecond=0)
    durations, queries = [], []
    for _index in range(repeats):
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        slots = outlet._find_slots(now, now + timedelta(days=14), skill)
        durations.append((time.perf_counter() - start) * 1000)
        queries.append(env.cr.sql_log_count - start_queries)
    print(
        f"free slots of an outlet with {len(outlet.technician_ids)} technicians "
        f"over 14 days (target < 200 ms): median {statistics.median(durations):.0f} "
        f"ms, max {max(durations):.0f} ms, {queries[-1]} queries, "
        f"{len(slots)} windows free",
        flush=True,
    )


def generate_done_visits(env, visits, part):
    """Insert ``visits`` done visits over the last year, half with a part line."""
    cr = env.cr
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_tech AS
            SELECT rel.service_center_id, rel.user_id,
                   ROW_NUMBER() OVER (ORDER BY rel.service_center_id, rel.user_id)
                       AS n
              FROM css_service_center_technician_rel rel
              JOIN css_service_center c ON c.id = rel.service_center_id
             WHERE c.name LIKE %(outlets)s;
            CREATE TEMP TABLE bench_case AS
            SELECT id, asset_id, ROW_NUMBER() OVER (ORDER BY id) AS n
              FROM css_case WHERE name LIKE %(cases)s;
            INSERT INTO css_service_order (name, case_id, company_id, partner_id,
                commercial_partner_id, asset_id, service_center_id, technician_id,
                appointment_start, appointment_end, duration, state, date_done,
                time_spent, first_time_fix, amount_total, amount_charged,
                amount_covered, create_date, write_date, create_uid, write_uid)
            SELECT 'BV' || g, c.id, %(company)s, a.partner_id, a.partner_id,
                   a.id, t.service_center_id, t.user_id,
                   d.done - interval '2 hours', d.done, 2.0, 'done', d.done,
                   1.5, mod(g, 5) != 0, 100, CASE WHEN mod(g, 3) = 0 THEN 100
                   ELSE 0 END, CASE WHEN mod(g, 3) = 0 THEN 0 ELSE 100 END,
                   d.done, d.done, 1, 1
              FROM generate_series(1, %(visits)s) g
              JOIN bench_tech t
                ON t.n = 1 + mod(g * 7, (SELECT COUNT(*) FROM bench_tech))
              JOIN bench_case c
                ON c.n = 1 + mod(g, (SELECT COUNT(*) FROM bench_case))
              -- One product in four is visited again within the month.
              JOIN css_asset a ON a.id = (
                   SELECT MIN(id) FROM css_asset) + mod(g / 4, %(assets)s)
              CROSS JOIN LATERAL (
                  SELECT now() - (mod(g * 37, 365 * 24) || ' hours')::interval
                         AS done
              ) d;
            INSERT INTO css_service_order_line (order_id, company_id, line_type,
                product_id, sequence, quantity, price_unit, amount_total,
                amount_charged, cost_amount, covered, coverage_reason,
                create_date, write_date, create_uid, write_uid)
            SELECT id, company_id, 'part', %(part)s, 10, 1, 100, 100,
                   amount_charged, 60, amount_charged = 0,
                   CASE WHEN amount_charged = 0 THEN 'warranty' ELSE 'none' END,
                   create_date, create_date, 1, 1
              FROM css_service_order
             WHERE name LIKE %(visits_name)s AND mod(id, 2) = 0;
            ANALYZE css_service_order;
            ANALYZE css_service_order_line;
            """,
            company=env.company.id,
            outlets="Bench outlet %",
            cases="BENCH%",
            visits_name="BV%",
            visits=visits,
            assets=env["css.asset"].search_count([]),
            part=part.id,
        )
    )
    env.cr.commit()


def bench_scorecard(env, args, part):
    with measure(f"generate {args.visits} done visits"):
        generate_done_visits(env, args.visits, part)
    Scorecard = env["css.outlet.scorecard"]
    measures = [
        "visit_count:sum",
        "sla_rate:avg",
        "ftf_rate:avg",
        "repeat_rate:avg",
        "avg_rating:avg",
        "parts_cost:sum",
        "charged_revenue:sum",
        "outlet_score:avg",
        "rank:max",
    ]
    env.invalidate_all()
    with measure("outlet ranking, worst first (target < 5 s)", env.cr):
        ranking = Scorecard._read_group(
            [],
            ["month:month", "service_center_id"],
            measures,
            order="month:month desc, outlet_score:avg asc",
        )
    print(f"  {len(ranking)} outlet-months ranked")
    env.invalidate_all()
    with measure("technician rows of the list view, first page", env.cr):
        Scorecard.search_read([], ["service_center_id", "technician_id"], limit=80)
    env.invalidate_all()
    with measure("scorecard pivot: outlets x months", env.cr):
        Scorecard.read_group(
            [],
            ["visit_count:sum", "ftf_rate:avg", "outlet_score:avg"],
            ["service_center_id", "month:month"],
            lazy=False,
        )


def main():
    args = parse_args(
        __doc__,
        db="css_bench_field_service",
        cases=10_000,
        small=1_000,
        technicians=20,
        slot_repeats=20,
        visits=1_000_000,
    )
    create_database(args, "crm_haier_css", reuse=args.reuse)
    try:
        with environment(args) as env:
            if env["css.skill"].search([("name", "=", "Bench washer repair")]):
                skill = env["css.skill"].search([("name", "=", "Bench washer repair")])
                product = env["product.product"].search([("name", "=", "Bench washer")])
                part = env["product.product"].search([("name", "=", "Bench pump")])
            else:
                with measure(f"setup: {OUTLETS} outlets x {args.technicians} techs"):
                    product, part, skill = setup(env, args.technicians)
                    env.cr.commit()
            bench_routing(env, args, product)
            bench_slots(env, skill, args.slot_repeats)
            bench_scorecard(env, args, part)
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
