# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user


class CssCommon:
    """Shared service-desk data: a team, its people, customers and products.

    Mixed into TransactionCase and HttpCase classes; it does not rely on the
    demo data, and neutralises it where it would interfere (SLA policies).
    """

    @classmethod
    def _css_user(cls, login, groups, **kw):
        """A user of the test company whose password is its login."""
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            **kw,
        )

    @classmethod
    def _setup_css_data(cls):
        env = cls.env
        cls.company = env.company
        cls.company.country_id = env.ref("base.cn")
        cls.env["css.sla.policy"].search([]).active = False

        user = cls._css_user

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


class FieldServiceCommon(CssCommon):
    """Outlets, technicians, skills, parts and prices on top of the desk data.

    The outlets open 9-17 UTC on weekdays and visits last two hours, so the
    windows of a day are 9-11, 11-13, 13-15 and 15-17 UTC. Tests freeze the
    time on Monday 23 November 2026, 06:00 UTC (``MONDAY``).
    """

    MONDAY = "2026-11-23 06:00:00"

    @classmethod
    def _setup_field_service_data(cls):
        cls._setup_css_data()
        env = cls.env
        # The demo outlets would compete for the test addresses.
        env["css.service.center"].search([]).active = False
        cls.company.write({"css_visit_hours": 2.0, "css_slot_days": 14})
        cls.shandong = env.ref("base.state_cn_SD")
        cls.customer.write({"zip": "266071", "state_id": cls.shandong.id})

        user = cls._css_user

        cls.tech_a = user(
            "css_tech_a", "crm_haier_css.group_css_technician", name="Tech A"
        )
        cls.tech_b = user(
            "css_tech_b", "crm_haier_css.group_css_technician", name="Tech B"
        )
        cls.outlet_manager = user(
            "css_outlet_manager",
            "crm_haier_css.group_css_outlet_manager",
            name="Outlet Manager",
        )
        cls.dispatcher = user(
            "css_dispatcher", "crm_haier_css.group_css_dispatcher", name="Dispatcher"
        )
        cls.company.css_dispatcher_id = cls.dispatcher

        cls.skill_washer = env["css.skill"].create(
            {
                "name": "Washing machine repair (test)",
                "product_category_ids": [Command.set(cls.categ.ids)],
                "case_type_ids": [
                    Command.set(
                        [
                            env.ref("crm_haier_css.css_case_type_repair").id,
                            env.ref("crm_haier_css.css_case_type_installation").id,
                        ]
                    )
                ],
            }
        )
        cls.skill_electric = env["css.skill"].create(
            {
                "name": "Electrical safety (test)",
                "product_category_ids": [Command.set(cls.categ.ids)],
            }
        )
        cls.certify(cls.tech_a, cls.skill_washer)
        cls.certify(cls.tech_a, cls.skill_electric)
        cls.certify(cls.tech_b, cls.skill_washer)
        cls.certify(cls.tech_b, cls.skill_electric)

        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.location = env["stock.location"].create(
            {
                "name": "Qingdao outlet parts (test)",
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
            }
        )
        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "Outlet service prices (test)",
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                        }
                    )
                ],
            }
        )
        cls.outlet = env["css.service.center"].create(
            {
                "name": "Qingdao outlet (test)",
                "zip_prefixes": "2660, 266",
                "country_ids": [Command.set(env.ref("base.cn").ids)],
                "technician_ids": [Command.set((cls.tech_a | cls.tech_b).ids)],
                "manager_id": cls.outlet_manager.id,
                "location_id": cls.location.id,
                "resource_calendar_id": cls.calendar_office.id,
                "pricelist_id": cls.pricelist.id,
            }
        )
        cls.pump = env["product.product"].create(
            {
                "name": "Drain pump (test)",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
            }
        )
        cls.labour = env["product.product"].create(
            {"name": "Labour hour (test)", "type": "service", "list_price": 80.0}
        )
        env["stock.quant"]._update_available_quantity(cls.pump, cls.location, 5.0)
        cls.old_asset = env["css.asset"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "serial": "HW80-OLD-1",
                "purchase_date": "2022-01-10",
            }
        )

    @classmethod
    def certify(cls, user, skill, obtained="2025-01-01", expiry=False):
        return cls.env["css.certification"].create(
            {
                "user_id": user.id,
                "skill_id": skill.id,
                "date_obtained": obtained,
                "date_expiry": expiry,
            }
        )

    @classmethod
    def _visit(cls, case=None, start="2026-11-23 09:00:00", technician=None, **vals):
        """A visit of the case (a new one by default), in draft."""
        case = case or cls._new_case(asset_id=cls.old_asset.id)
        start = fields.Datetime.to_datetime(start)
        values = {
            "case_id": case.id,
            "service_center_id": cls.outlet.id,
            "technician_id": (technician or cls.tech_a).id,
            "appointment_start": start,
            "appointment_end": start + timedelta(hours=2),
        }
        values.update(vals)
        return cls.env["css.service.order"].create(values)

    @staticmethod
    def _run_to_site(visit):
        visit.action_schedule()
        visit.action_dispatch()
        visit.action_start()
        return visit

    @staticmethod
    def _complete(visit, report="<p>Replaced the drain pump.</p>", hours=1.5):
        visit.write({"work_report": report, "time_spent": hours})
        visit.action_done()
        return visit
