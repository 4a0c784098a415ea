"""Shared data of the crm_b2b_portal benchmarks: a Premier account at scale."""

from odoo import Command

PASSWORD = "bench-b2b-pw"


def make_account(env, products):
    """An account with ``products`` products, a three-level chain and its users."""
    category = env["product.category"].create({"name": "Bench catalogue"})
    add_products(env, category, products)
    pricelist = env["product.pricelist"].create(
        {
            "name": "Bench negotiated",
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "compute_price": "percentage",
                        "percent_price": 8,
                    }
                )
            ],
        }
    )
    customer = env["res.partner"].create({"name": "Bench Corp", "is_company": True})
    account = env["b2b.account"].create(
        {
            "name": "Bench Corp Premier",
            "partner_id": customer.id,
            "pricelist_id": pricelist.id,
            "product_category_ids": [Command.set(category.ids)],
            "max_line_quantity": 1000000,
        }
    )
    members = {}
    for key, manager, values in [
        ("cfo", None, {"role_approver": True, "approval_limit": 10**9}),
        ("head", "cfo", {"role_approver": True, "approval_limit": 10**8}),
        ("lead", "head", {"role_approver": True, "approval_limit": 10**7}),
        ("requester", "lead", {}),
        ("purchaser", None, {"role_requester": False, "role_purchaser": True}),
    ]:
        user = env["res.users"].create(
            {
                "name": f"Bench {key}",
                "login": f"bench_{key}",
                "password": PASSWORD,
                "groups_id": [Command.set(env.ref("base.group_portal").ids)],
            }
        )
        user.partner_id.parent_id = customer
        members[key] = env["b2b.member"].create(
            {
                "account_id": account.id,
                "user_id": user.id,
                "manager_id": manager and members[manager].id,
                **values,
            }
        )
    env["b2b.approval.rule"].create(
        [
            {"name": "Manager", "account_id": account.id, "approver_type": "manager"},
            {
                "name": "Department",
                "account_id": account.id,
                "sequence": 20,
                "approver_type": "members",
                "member_ids": [Command.set(members["head"].ids)],
            },
            {
                "name": "Finance",
                "account_id": account.id,
                "sequence": 30,
                "approver_type": "members",
                "member_ids": [Command.set(members["cfo"].ids)],
            },
        ]
    )
    return account, category, members


def add_products(env, category, count, start=0):
    """Create ``count`` saleable products in ``category`` (ORM, in one batch)."""
    env["product.template"].with_context(tracking_disable=True).create(
        [
            {
                "name": f"Bench product {n:05d}",
                "default_code": f"B{n:05d}",
                "list_price": 10 + n % 500,
                "categ_id": category.id,
            }
            for n in range(start, start + count)
        ]
    )
