# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user


class CssCommon:
    """Shared service-desk data: a team, its people, customers and products.

    Mixed into TransactionCase and HttpCase classes; it does not rely on the
    demo data, and neutralises it where it would interfere (SLA policies).
    """

    @classmethod
    def _setup_css_data(cls):
        env = cls.env
        cls.company = env.company
        cls.company.country_id = env.ref("base.cn")
        cls.env["css.sla.policy"].search([]).active = False

        def user(login, groups, **kw):
            return new_test_user(
                env,
                login=login,
                password=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                **kw,
            )

        cls.agent = user(
            "css_agent", "crm_haier_css.group_css_agent", name="Wang Agent"
        )
        cls.leader = user(
            "css_leader", "crm_haier_css.group_css_team_leader", name="Li Leader"
        )
        cls.manager = user(
            "css_manager", "crm_haier_css.group_css_manager", name="Zhao Manager"
        )
        cls.employee = user("css_employee", "base.group_user", name="Plain Employee")
        cls.company.css_service_manager_id = cls.manager
        cls.team = env["css.team"].create(
            {
                "name": "Qingdao Call Centre",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set(cls.agent.ids)],
            }
        )

        cls.calendar_24x7 = env.ref("crm_haier_css.resource_calendar_24x7")
        cls.calendar_office = env["resource.calendar"].create(
            {
                "name": "Office 9-17 (test)",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9.0,
                            "hour_to": 17.0,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.policy = env["css.sla.policy"].create(
            {
                "name": "Test 24h promise",
                "sequence": 100,
                "calendar_id": cls.calendar_24x7.id,
                "response_hours": 24,
                "resolution_hours": 72,
                "risk_percent": 50,
                "escalation_hours": 2,
            }
        )

        cls.customer = env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "email": "zhang.wei@example.com",
                "phone": "+86 532 8471 2058",
                "mobile": "137 2046 5813",
                "country_id": env.ref("base.cn").id,
            }
        )
        cls.other_customer = env["res.partner"].create(
            {
                "name": "Liu Yang",
                "email": "liu.yang@example.com",
                "phone": "0532 6666 7777",
                "country_id": env.ref("base.cn").id,
            }
        )
        cls.portal_user = user(
            "css_portal",
            "base.group_portal",
            partner_id=cls.customer.id,
            email=cls.customer.email,
            name=cls.customer.name,
        )
        cls.other_portal_user = user(
            "css_portal_other",
            "base.group_portal",
            partner_id=cls.other_customer.id,
            email=cls.other_customer.email,
            name=cls.other_customer.name,
        )

        cls.categ = env["product.category"].create({"name": "Washing machines (test)"})
        cls.product = env["product.product"].create(
            {
                "name": "Haier Front Loader HW80",
                "categ_id": cls.categ.id,
                "css_warranty_months": 24,
                "css_portal_registrable": True,
                "sale_ok": True,
            }
        )
        # Sold, but not offered for registration: private to the portal.
        cls.private_product = env["product.product"].create(
            {"name": "Commercial chiller (test)", "sale_ok": True}
        )
        cls.asset = env["css.asset"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "serial": "HW80-0001",
                "purchase_date": "2026-01-15",
            }
        )
        cls.other_asset = env["css.asset"].create(
            {
                "partner_id": cls.other_customer.id,
                "product_id": cls.product.id,
                "serial": "HW80-0002",
                "purchase_date": "2026-02-01",
            }
        )
        cls.fault = env["css.fault.code"].create(
            {"code": "TE-E21", "name": "Water does not drain"}
        )

    @classmethod
    def _new_case(cls, **vals):
        values = {
            "partner_id": cls.customer.id,
            "channel": "phone",
            "case_type": "repair",
            "subject": "Does not drain",
            "team_id": cls.team.id,
            "user_id": cls.agent.id,
            "reported_date": datetime(2026, 11, 20, 8, 0),
        }
        values.update(vals)
        return cls.env["css.case"].create(values)
