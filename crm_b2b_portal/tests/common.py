# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import HttpCase, TransactionCase


def build_scenario(env, prefix="b2bt"):
    """Create a corporate customer with a three-level org chart, its catalog
    and negotiated prices, plus another customer company; return them by name.

    Used by the tests, the concurrency test (on its own committed cursor) and
    the benchmarks, so it depends on nothing but the ORM.
    """
    data = {}
    currency = env.company.currency_id
    data["category"] = category = env["product.category"].create(
        {"name": f"{prefix} Office"}
    )
    data["other_category"] = env["product.category"].create(
        {"name": f"{prefix} Outside"}
    )
    data["desk"] = env["product.template"].create(
        {"name": f"{prefix} Desk", "list_price": 100.0, "categ_id": category.id}
    )
    data["chair"] = env["product.template"].create(
        {"name": f"{prefix} Chair", "list_price": 50.0, "categ_id": category.id}
    )
    data["secret"] = env["product.template"].create(
        {
            "name": f"{prefix} Not For Them",
            "list_price": 10.0,
            "categ_id": data["other_category"].id,
        }
    )
    ram = env["product.attribute"].create(
        {
            "name": f"{prefix} RAM",
            "value_ids": [
                Command.create({"name": "8 GB"}),
                Command.create({"name": "32 GB"}),
            ],
        }
    )
    data["laptop"] = laptop = env["product.template"].create(
        {
            "name": f"{prefix} Laptop",
            "list_price": 1000.0,
            "categ_id": category.id,
            "attribute_line_ids": [
                Command.create(
                    {
                        "attribute_id": ram.id,
                        "value_ids": [Command.set(ram.value_ids.ids)],
                    }
                )
            ],
        }
    )
    data["ram"] = ram
    ptavs = laptop.attribute_line_ids.product_template_value_ids
    data["ram_8"] = ptavs.filtered(lambda v: v.name == "8 GB")
    data["ram_32"] = ptavs.filtered(lambda v: v.name == "32 GB")
    data["ram_32"].price_extra = 400.0
    data["pricelist"] = env["product.pricelist"].create(
        {
            "name": f"{prefix} Negotiated",
            "currency_id": currency.id,
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "compute_price": "percentage",
                        "percent_price": 10,
                    }
                )
            ],
        }
    )
    data["customer"] = customer = env["res.partner"].create(
        {"name": f"{prefix} Contoso", "is_company": True}
    )
    data["other_customer"] = other = env["res.partner"].create(
        {"name": f"{prefix} Fabrikam", "is_company": True}
    )
    data["account"] = account = env["b2b.account"].create(
        {
            "name": f"{prefix} Contoso Premier",
            "partner_id": customer.id,
            "pricelist_id": data["pricelist"].id,
            "product_category_ids": [Command.set(category.ids)],
            "cost_center_ids": [
                Command.create({"name": "IT", "code": "IT"}),
                Command.create({"name": "Facilities", "code": "FAC"}),
            ],
        }
    )
    data["other_account"] = other_account = env["b2b.account"].create(
        {
            "name": f"{prefix} Fabrikam Premier",
            "partner_id": other.id,
            "pricelist_id": data["pricelist"].id,
            "product_category_ids": [Command.set(category.ids)],
        }
    )

    def member(key, company_account, partner, **values):
        user = new_test_user(
            env,
            login=f"{prefix}_{key}",
            groups="base.group_portal",
            name=f"{prefix} {key.title()}",
        )
        user.partner_id.parent_id = partner
        data[key] = env["b2b.member"].create(
            {"account_id": company_account.id, "user_id": user.id, **values}
        )
        return data[key]

    cfo = member("cfo", account, customer, role_approver=True, approval_limit=100000)
    head = member(
        "head",
        account,
        customer,
        role_approver=True,
        approval_limit=10000,
        manager_id=cfo.id,
    )
    lead = member(
        "lead",
        account,
        customer,
        role_approver=True,
        approval_limit=1000,
        manager_id=head.id,
    )
    member("requester", account, customer, manager_id=lead.id)
    member("purchaser", account, customer, role_requester=False, role_purchaser=True)
    member("admin", account, customer, role_requester=False, role_admin=True)
    member(
        "stranger",
        other_account,
        other,
        role_approver=True,
        role_purchaser=True,
        role_admin=True,
        approval_limit=1e6,
    )
    data["rule_manager"] = env["b2b.approval.rule"].create(
        {
            "name": "Manager",
            "account_id": account.id,
            "sequence": 1,
            "approver_type": "manager",
        }
    )
    data["internal"] = new_test_user(
        env,
        login=f"{prefix}_internal",
        groups="sales_team.group_sale_salesman_all_leads",
    )
    return data


class B2bCommon:
    """The scenario of ``build_scenario`` as class attributes, shared by all tests.

    Products: ``desk``, ``chair`` and ``laptop`` (options ``ram_8``,
    ``ram_32``) of ``category``, in the catalog of ``account`` (negotiated
    ``pricelist``: 10 % off); ``secret`` of ``other_category`` is not.
    Members of ``account`` (customer ``customer``): ``cfo`` (approver up to
    100,000), ``head`` (10,000, reports to the CFO), ``lead`` (1,000, reports
    to the head), ``requester`` (reports to the lead), ``purchaser``,
    ``admin``; ``stranger`` holds every role at ``other_account`` (customer
    ``other_customer``). ``rule_manager``: one step, the requester's
    authorised manager. ``internal``: a salesperson of the vendor.
    """

    @classmethod
    def setup_b2b_scenario(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        data = build_scenario(cls.env)
        cls.category = data["category"]
        cls.other_category = data["other_category"]
        cls.desk = data["desk"]
        cls.chair = data["chair"]
        cls.secret = data["secret"]
        cls.laptop = data["laptop"]
        cls.ram = data["ram"]
        cls.ram_8 = data["ram_8"]
        cls.ram_32 = data["ram_32"]
        cls.pricelist = data["pricelist"]
        cls.customer = data["customer"]
        cls.other_customer = data["other_customer"]
        cls.account = data["account"]
        cls.other_account = data["other_account"]
        cls.cfo = data["cfo"]
        cls.head = data["head"]
        cls.lead = data["lead"]
        cls.requester = data["requester"]
        cls.purchaser = data["purchaser"]
        cls.admin = data["admin"]
        cls.stranger = data["stranger"]
        cls.rule_manager = data["rule_manager"]
        cls.internal = data["internal"]

    @classmethod
    def extra_member(cls, key, **values):
        """A further member of ``account``, with login ``b2bt_<key>``."""
        user = new_test_user(cls.env, login=f"b2bt_{key}", groups="base.group_portal")
        user.partner_id.parent_id = cls.customer
        return cls.env["b2b.member"].create(
            {"account_id": cls.account.id, "user_id": user.id, **values}
        )

    def quote(self, member=None, lines=None):
        """A draft quote built through the portal methods, as ``member``."""
        member = member or self.requester
        order = self.env["sale.order"].with_user(member.user_id).b2b_portal_new_quote()
        for template, qty, values in lines or [(self.desk, 1, [])]:
            order.b2b_portal_add_product(template.id, [v.id for v in values], qty)
        return order

    def submitted(self, qty=1):
        """A quote of ``qty`` desks, submitted by the requester."""
        order = self.quote(lines=[(self.desk, qty, [])])
        order.with_user(self.requester.user_id).action_b2b_submit()
        return order

    def add_department_and_finance(self, department_from):
        """Two more approval steps after the manager's: the department (the
        head) from ``department_from``, finance (every approver whose limit
        covers the amount) from 5,000."""
        return self.env["b2b.approval.rule"].create(
            [
                {
                    "name": "Department",
                    "account_id": self.account.id,
                    "sequence": 2,
                    "amount_min": department_from,
                    "approver_type": "members",
                    "member_ids": [Command.set(self.head.ids)],
                },
                {
                    "name": "Finance",
                    "account_id": self.account.id,
                    "sequence": 3,
                    "amount_min": 5000,
                    "approver_type": "limit",
                },
            ]
        )

    def lead_away(self, date_from, date_to):
        """The lead is away from ``date_from`` to ``date_to``; the head stands in."""
        self.lead.write(
            {
                "delegate_id": self.head.id,
                "delegate_date_from": date_from,
                "delegate_date_to": date_to,
            }
        )

    def as_member(self, order, member):
        return order.with_user(member.user_id)

    def steps(self, order):
        return order.sudo().b2b_approval_ids.filtered(lambda s: s.state != "cancelled")


class B2bCase(B2bCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_b2b_scenario()


class B2bHttpCase(B2bCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_b2b_scenario()
