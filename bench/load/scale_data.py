#!/usr/bin/env python3
"""Data of the load test, in-process on the load database (called by run.py).

    scale_data.py DB-ARGS... DB build PARTNERS CASES PASSWORD
    scale_data.py DB-ARGS... DB prepare QUOTES-PER-BUYER PASSWORD OUT.json

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


def prepare(env, quotes_per_buyer, password, out):
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
    Path(out).write_text(json.dumps(settings))


def main():
    import odoo
    from odoo.tools import config

    db_args = [arg for arg in sys.argv[1:] if arg.startswith("--")]
    db, mode, *rest = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    config.parse_config([*db_args, f"--addons-path={ROOT}", "-d", db])
    registry = odoo.registry(db)
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
        else:
            prepare(env, int(rest[0]), rest[1], rest[2])


if __name__ == "__main__":
    main()
