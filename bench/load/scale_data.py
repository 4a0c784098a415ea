#!/usr/bin/env python3
"""Data of the load test, in-process on the load database (called by run.py).

    scale_data.py DB-ARGS... DB build PARTNERS CASES PASSWORD
    scale_data.py DB-ARGS... DB prepare QUOTES-PER-BUYER PASSWORD OUT.json
    scale_data.py DB-ARGS... DB breach CASES OUT.json
    scale_data.py DB-ARGS... DB debtors CUSTOMERS OUT.json

``build`` adds partners and open cases at scale (SQL, as the benchmarks do),
the users the scenarios log in as, and a Premier account with ten buyers and
a three-level chain. ``prepare`` creates fresh draft quotes for this run's
Premier journeys and writes what the Locust scenarios need to OUT.json.
"""

import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# The benchmarks' own generators: numbers as the lookup benchmark writes them,
# open cases as the SLA cron benchmark inserts them.
from crm_haier_css_phone_lookup import number_parts  # noqa: E402
from crm_haier_css_sla_cron import generate as generate_cases  # noqa: E402

BUYERS = 10
PHONE = "+86 {a} {b} {c}"


def add_partners(env, partners):
    from odoo.addons.crm_haier_css.tools.phone import normalize_phone

    country = env.ref("base.cn")
    code = country.phone_code
    for start in range(0, partners, 100_000):
        buf = io.StringIO()
        for n in range(start, min(start + 100_000, partners)):
            phone = PHONE.format(**number_parts(n))
            name = f"Load customer {n}"
            buf.write(
                f"{name}\t{name}\tf\tt\task\tcontact\t{country.id}\t{phone}\t"
                f"{normalize_phone(phone, code)}\n"
            )
        buf.seek(0)
        env.cr.copy_expert(
            "COPY res_partner (name, complete_name, is_company, active, "
            "autopost_bills, type, country_id, phone, css_phone_normalized) "
            "FROM STDIN",
            buf,
        )
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )


def add_cases(env, cases):
    # Reported within the last 20 hours: open, on track or at risk, so that
    # the SLA cron has work but nothing is breached at the start.
    generate_cases(env, cases, partners="Load customer %", spread_hours=20)


def add_users(env, password):
    from odoo import Command

    agent_group = env.ref("crm_haier_css.group_css_agent")
    env.ref("base.user_admin").password = password
    env["res.users"].create(
        {
            "name": "Load API agent",
            "login": "load.agent",
            "password": password,
            "groups_id": [Command.set(agent_group.ids)],
        }
    )
    customer = env["res.partner"].create(
        {"name": "Load portal customer", "email": "load.portal@example.com"}
    )
    env["res.users"].create(
        {
            "name": customer.name,
            "login": "load.portal",
            "password": password,
            "partner_id": customer.id,
            "groups_id": [Command.set(env.ref("base.group_portal").ids)],
        }
    )


def add_premier(env):
    from crm_b2b_portal_common import make_account

    from odoo import Command

    account, _category, members = make_account(env, 50)
    for n in range(2, BUYERS + 1):
        user = env["res.users"].create(
            {
                "name": f"Bench requester {n}",
                "login": f"bench_requester{n}",
                "password": "bench-b2b-pw",
                "groups_id": [Command.set(env.ref("base.group_portal").ids)],
            }
        )
        user.partner_id.parent_id = account.partner_id
        env["b2b.member"].create(
            {
                "account_id": account.id,
                "user_id": user.id,
                "manager_id": members["lead"].id,
            }
        )


def refresh_open_cases(env):
    """Put the open cases back where a fresh build leaves them: reported
    within the last 20 hours, on track or at risk, none escalated.

    A reused database ages: a day later every open case is past its
    deadlines, and the SLA cron would spend the measured minutes escalating
    that backlog. The cron-sla fault makes its own breached cases.
    """
    escalation = env.ref("crm_haier_css.mail_activity_type_css_escalation")
    env.cr.execute(
        """
        WITH aged AS (
            SELECT id, now() at time zone 'utc'
                       - random() * interval '20 hours' AS reported
              FROM css_case
             WHERE is_open AND (escalation_level > 0
                   OR response_deadline < now() at time zone 'utc' + interval '4 hours')
        ), cleared AS (
            DELETE FROM mail_activity a USING aged
             WHERE a.res_model = 'css.case' AND a.res_id = aged.id
               AND a.activity_type_id = %s
        )
        UPDATE css_case c
           SET reported_date = aged.reported, sla_start_date = aged.reported,
               response_deadline = aged.reported + interval '24 hours',
               resolution_deadline = aged.reported + interval '72 hours',
               response_risk_date = aged.reported + interval '19.2 hours',
               resolution_risk_date = aged.reported + interval '57.6 hours',
               sla_status = 'on_track', escalation_level = 0, escalation_date = NULL
          FROM aged
         WHERE c.id = aged.id
        """,
        [escalation.id],
    )
    print(f"{env.cr.rowcount} open cases brought back on track", flush=True)


def forget_earlier_intakes(env):
    """Delete the cases that earlier runs took in, with their chatter.

    Each run adds some 16,000 cases (and twice as many messages and
    followers): reused run after run, the database would drift away from
    the scale it was built at, and the figures of one run would not compare
    with the next. The cases of a run are told apart by their subject.
    """
    from odoo.tools import SQL

    cr = env.cr
    cr.execute(
        "CREATE TEMP TABLE load_old_intake ON COMMIT DROP AS "
        "SELECT c.id FROM css_case c WHERE c.subject LIKE 'LOAD-%%' "
        "AND NOT EXISTS (SELECT 1 FROM css_service_order o WHERE o.case_id = c.id)"
    )
    for table, model in (
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
        ("rating_rating", "res_model"),
    ):
        cr.execute(
            SQL(
                "DELETE FROM %s WHERE %s = 'css.case' "
                "AND res_id IN (SELECT id FROM load_old_intake)",
                SQL.identifier(table),
                SQL.identifier(model),
            )
        )
    cr.execute("DELETE FROM css_case WHERE id IN (SELECT id FROM load_old_intake)")
    print(f"{cr.rowcount} cases of earlier runs deleted", flush=True)
    cr.execute("ANALYZE css_case")


def prepare(env, quotes_per_buyer, password, out):
    forget_earlier_intakes(env)
    refresh_open_cases(env)
    account = env["b2b.account"].search([("name", "=", "Bench Corp Premier")])
    products = env["product.template"].search(account._catalog_domain(), limit=3)
    buyers = []
    for login in ["bench_requester"] + [
        f"bench_requester{n}" for n in range(2, BUYERS + 1)
    ]:
        user = env["res.users"].search([("login", "=", login)])
        quotes = []
        for _n in range(quotes_per_buyer):
            quote = env["sale.order"].with_user(user).b2b_portal_new_quote()
            for product in products:
                quote.b2b_portal_add_product(product.id, [], 2)
            quotes.append(quote.id)
        buyers.append({"login": login, "quotes": quotes})
    env.cr.execute(
        "SELECT id FROM res_partner WHERE name LIKE 'Load customer %%' "
        "ORDER BY id LIMIT 2000"
    )
    partner_ids = [row[0] for row in env.cr.fetchall()]
    phones = [PHONE.format(**number_parts(n)) for n in range(0, 200_000, 97)][:2000]
    settings = {
        "agent": ["load.agent", password],
        "admin": ["admin", password],
        "portal": ["load.portal", password],
        "partner_ids": partner_ids,
        "phones": phones,
        "premier": {
            "password": "bench-b2b-pw",
            "lead": "bench_lead",
            "head": "bench_head",
            "cfo": "bench_cfo",
            "purchaser": "bench_purchaser",
            "buyers": buyers,
        },
    }
    settings["external_ref"] = "external_ref" in env["css.case"]._fields
    Path(out).write_text(json.dumps(settings))


def breach(env, count, out):
    """Work for the SLA escalation batch that a fault run kills: ``count``
    open load cases with their deadlines passed, not escalated yet.

    The same cases at every run: the SLA cron of earlier runs escalated
    them (and, as time passes, the others), so their escalations are
    forgotten first, activities included, as the reminders are below.
    """
    env.cr.execute(
        "SELECT id FROM css_case WHERE is_open AND name LIKE 'BENCH%%' "
        "ORDER BY id LIMIT %s",
        [count],
    )
    ids = tuple(row[0] for row in env.cr.fetchall())
    escalation = env.ref("crm_haier_css.mail_activity_type_css_escalation")
    env.cr.execute(
        "DELETE FROM mail_activity WHERE res_model = 'css.case' AND res_id IN %s"
        " AND activity_type_id = %s",
        [ids, escalation.id],
    )
    env.cr.execute(
        """
        UPDATE css_case SET response_deadline = now() - interval '2 hours',
               resolution_deadline = now() - interval '1 hour',
               response_risk_date = now() - interval '3 hours',
               resolution_risk_date = now() - interval '2 hours',
               sla_status = 'on_track', escalation_level = 0,
               escalation_date = NULL
         WHERE id IN %s
        """,
        [ids],
    )
    postpone(env, "crm_haier_css.ir_cron_css_sla_check")
    Path(out).write_text(json.dumps(sorted(ids)))


def postpone(env, xmlid):
    """Keep the cron from starting on its own when Odoo starts: the fault
    run triggers it when the load is on."""
    env.ref(xmlid).nextcall = "2099-01-01 00:00:00"


def debtors(env, count, out):
    """Work for the reminder batch that a fault run kills: ``count`` customers
    with an e-mail and one invoice ten days overdue, none reminded yet.

    Created once and reused: each run forgets the reminders sent to them.
    """
    from datetime import timedelta

    from odoo import Command, fields

    partners = env["res.partner"].search(
        [("name", "=like", "Load debtor %")], order="id"
    )
    missing = count - len(partners)
    if missing > 0:
        new = env["res.partner"].create(
            [
                {"name": f"Load debtor {n}", "email": f"debtor{n}@example.com"}
                for n in range(len(partners), count)
            ]
        )
        due = fields.Date.today() - timedelta(days=10)
        for start in range(0, len(new), 200):
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": due,
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Refrigerator", "price_unit": 100.0}
                            )
                        ],
                    }
                    for partner in new[start : start + 200]
                ]
            )
            invoices.action_post()
            env.cr.commit()
        partners |= new
    partners = partners[:count]
    ids = tuple(partners.ids)
    postpone(env, "crm_receivables_aging.ir_cron_send_reminders")
    # Forget what earlier runs sent them.
    env.cr.execute(
        "DELETE FROM mail_mail WHERE id IN (SELECT mail_id FROM aging_reminder_log"
        " WHERE partner_id IN %s)",
        [ids],
    )
    env.cr.execute("DELETE FROM aging_reminder_log WHERE partner_id IN %s", [ids])
    env.cr.execute(
        "UPDATE account_move SET aging_reminder_level_id = NULL WHERE partner_id IN %s",
        [ids],
    )
    Path(out).write_text(json.dumps(list(ids)))


def main():
    import odoo
    from odoo.tools import config

    db_args = [arg for arg in sys.argv[1:] if arg.startswith("--")]
    db, mode, *rest = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    config.parse_config([*db_args, f"--addons-path={ROOT}", "-d", db])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True}
        )
        if mode == "build":
            partners, cases, password = int(rest[0]), int(rest[1]), rest[2]
            env.company.country_id = env.ref("base.cn")
            add_partners(env, partners)
            add_cases(env, cases)
            add_users(env, password)
            add_premier(env)
            cr.execute("ANALYZE")
        elif mode == "prepare":
            prepare(env, int(rest[0]), rest[1], rest[2])
        elif mode == "breach":
            breach(env, int(rest[0]), rest[1])
        elif mode == "debtors":
            debtors(env, int(rest[0]), rest[1])


if __name__ == "__main__":
    main()
