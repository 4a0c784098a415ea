#!/usr/bin/env python3
"""Benchmark: the SLA status and escalation cron over many open cases.

Target (SPEC.md section 4.1): the cron over 100,000 open cases under 10 s,
with a query count that does not grow with the number of cases.

    python3 bench/crm_haier_css_sla_cron.py --db-host /tmp/pgdev --db-user odoo

The cases are generated in SQL, reported at random over the last three days
on the default 24 h / 72 h policy, so that one run moves about a third of
them to "at risk" and another third to "breached" (the worst case: in daily
use a 15-minute run changes only the cases whose time has just come).
"""

from datetime import datetime, timedelta

from benchlib import create_database, drop_database, environment, measure, parse_args

from odoo.tools import SQL


def generate(env, cases, offset=0, partners="Bench caller %", spread_hours=72):
    """Insert ``cases`` open cases with deadlines on the 24/7 default policy.

    The cases go to the partners whose name is like ``partners`` and were
    reported within the last ``spread_hours`` hours.
    """
    cr = env.cr
    policy = env.ref("crm_haier_css.css_sla_policy_standard")
    stage = env.ref("crm_haier_css.css_stage_new")
    team = env["css.team"].search([], limit=1)
    now = datetime.now()
    cr.execute(
        SQL(
            """
            WITH partners AS (
                SELECT array_agg(id) AS ids FROM res_partner
                 WHERE name LIKE %(pattern)s
            ), src AS (
                SELECT g, %(now)s - random() * %(spread)s * interval '1 hour'
                       AS reported
                  FROM generate_series(1, %(cases)s) g
            )
            INSERT INTO css_case (name, company_id, partner_id, commercial_partner_id,
                channel, case_type, priority, reported_date, sla_start_date,
                stage_id, state, is_open, active, team_id, sla_policy_id,
                response_deadline, resolution_deadline, response_risk_date,
                resolution_risk_date, sla_status, escalation_level,
                create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH' || (g + %(offset)s), %(company)s,
                   p.ids[1 + mod(g, array_length(p.ids, 1))],
                   p.ids[1 + mod(g, array_length(p.ids, 1))],
                   'phone', 'repair', '0', reported, reported,
                   %(stage)s, 'new', TRUE, TRUE, %(team)s, %(policy)s,
                   reported + interval '24 hours', reported + interval '72 hours',
                   reported + interval '19.2 hours', reported + interval '57.6 hours',
                   'on_track', 0, reported, reported, 1, 1
              FROM src, partners p
            """,
            now=now,
            pattern=partners,
            spread=spread_hours,
            cases=cases,
            offset=offset,
            company=env.company.id,
            stage=stage.id,
            team=team.id,
            policy=policy.id,
        )
    )
    cr.execute("ANALYZE css_case")


def setup(env):
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active,
            autopost_bills, type)
        SELECT 'Bench caller ' || g, 'Bench caller ' || g, FALSE, TRUE, 'ask', 'contact'
          FROM generate_series(1, 2000) g;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE name LIKE 'Bench caller %';
        """
    )
    leader = env["res.users"].create(
        {
            "name": "Bench Leader",
            "login": "bench_leader",
            "groups_id": [(6, 0, [env.ref("crm_haier_css.group_css_team_leader").id])],
        }
    )
    manager = env["res.users"].create(
        {
            "name": "Bench Manager",
            "login": "bench_manager",
            "groups_id": [(6, 0, [env.ref("crm_haier_css.group_css_manager").id])],
        }
    )
    env.company.css_service_manager_id = manager
    env["css.team"].create({"name": "Bench team", "leader_id": leader.id})


def clear(env):
    env.cr.execute(
        "DELETE FROM mail_activity; DELETE FROM mail_message "
        "WHERE model = 'css.case'; DELETE FROM mail_followers "
        "WHERE res_model = 'css.case'; DELETE FROM css_case"
    )
    env.cr.commit()
    env.invalidate_all()


def run_cron(env, label):
    Case = env["css.case"]
    env.invalidate_all()
    with measure(label, env.cr):
        done = Case._cron_sla_check()
        env.flush_all()
    env.cr.commit()
    return done


def status_counts(env):
    return dict(env["css.case"]._read_group([], ["sla_status"], ["__count"]))


def main():
    args = parse_args(
        __doc__,
        db="css_bench_sla_cron",
        cases=100_000,
        small=10_000,
        drain_batches=10,
    )
    create_database(args, "crm_haier_css")
    try:
        with environment(args) as env:
            setup(env)
            env.cr.commit()
            # Warm the ORM caches (escalation path included) on a few cases so
            # that both counts below compare runs in the same state.
            generate(env, 10, offset=10**9)
            run_cron(env, "cron on 10 cases (warm-up)")
            clear(env)

            # Query count with few cases ...
            with measure(f"generate {args.small} cases"):
                generate(env, args.small)
                env.cr.commit()
            start = env.cr.sql_log_count
            run_cron(env, f"cron run 1 over {args.small} open cases")
            small_queries = env.cr.sql_log_count - start
            env.cr.execute(
                "DELETE FROM mail_activity; DELETE FROM mail_message "
                "WHERE model = 'css.case'; DELETE FROM css_case"
            )
            env.cr.commit()

            # ... and with the full volume.
            with measure(f"generate {args.cases} cases"):
                generate(env, args.cases, offset=args.small)
                env.cr.commit()
            start = env.cr.sql_log_count
            done = run_cron(
                env, f"cron run 1 over {args.cases} open cases (target < 10 s)"
            )
            big_queries = env.cr.sql_log_count - start
            print(f"  escalated in this run: {done}; statuses: {status_counts(env)}")
            print(
                f"  queries: {small_queries} for {args.small} cases, "
                f"{big_queries} for {args.cases} cases"
            )
            start = env.cr.sql_log_count
            done = run_cron(env, "cron run 2 (next batch of escalations)")
            print(f"  escalated: {done}, queries {env.cr.sql_log_count - start}")

            total = 0
            with measure(f"drain: {args.drain_batches} more batches"):
                for _i in range(args.drain_batches):
                    total += env["css.case"]._cron_sla_check()
                    env.cr.commit()
            print(f"  escalations processed while draining: {total}")
            remaining = env["css.case"]._sla_count_due_escalations(
                datetime.now() + timedelta(seconds=1)
            )
            print(f"  escalations still due: {remaining}")
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
