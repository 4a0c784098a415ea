# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import FieldServiceCommon

# Whatever the number of cases routed at once (up to the ORM's batches of
# 100 rows per INSERT). Six of them follow the outlet to its distributor:
# the outlets a case's distributor declined, and the case's distributor and
# acceptance recomputed and written.
ROUTING_QUERIES = 46


@tagged("post_install", "-at_install")
class TestRouting(FieldServiceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()
        env = cls.env
        cls.outlet_state = env["css.service.center"].create(
            {
                "name": "Shandong outlet (test)",
                "state_ids": [Command.set(cls.shandong.ids)],
                "technician_ids": [Command.set(cls.tech_b.ids)],
                "resource_calendar_id": cls.calendar_office.id,
            }
        )
        cls.outlet_country = env["css.service.center"].create(
            {
                "name": "China outlet (test)",
                "country_ids": [Command.set(env.ref("base.cn").ids)],
                "technician_ids": [Command.set(cls.tech_b.ids)],
                "resource_calendar_id": cls.calendar_office.id,
            }
        )
        # The Qingdao outlet matches 266071 by a 4-digit prefix.
        cls.outlet.zip_prefixes = "2660"

    @classmethod
    def _case(cls, **vals):
        return cls._new_case(asset_id=cls.asset.id, **vals)

    def _route(self, case):
        case.action_route()
        return case.service_order_ids.filtered(lambda v: v.state == "draft")

    def _dispatch_activities(self, case):
        return case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("crm_haier_css.mail_activity_type_css_dispatch")
            )
        )

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_outlet_by_most_precise_territory(self):
        case = self._case()
        visit = self._route(case)
        self.assertEqual(case.service_center_id, self.outlet, "postcode prefix wins")
        self.assertEqual(visit.service_center_id, self.outlet)
        self.assertIn("postcode prefix, 4 digits", case.message_ids[0].body)
        # A longer prefix elsewhere beats the shorter one.
        self.outlet_state.zip_prefixes = "26607"
        other = self._case()
        self._route(other)
        self.assertEqual(other.service_center_id, self.outlet_state)
        # Without a postcode: the state beats the country.
        self.customer.zip = False
        third = self._case()
        self._route(third)
        self.assertEqual(third.service_center_id, self.outlet_state)
        self.customer.state_id = False
        fourth = self._case()
        self._route(fourth)
        self.assertEqual(fourth.service_center_id, self.outlet_country)

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_technician_free_and_least_booked_that_week(self):
        case = self._case()
        visit = self._route(case)
        # Both are free at 9:00 with no hours booked: the tie goes to the first.
        self.assertEqual(visit.technician_id, self.tech_a)
        self.assertEqual(visit.appointment_start, datetime(2026, 11, 23, 9, 0))
        self.assertEqual(visit.skill_ids, self.skill_washer | self.skill_electric)
        # The next case: Tech A holds the 9:00 window now (draft visits
        # count), Tech B is free and less booked.
        second = self._route(self._case())
        self.assertEqual(second.technician_id, self.tech_b)
        self.assertEqual(second.appointment_start, datetime(2026, 11, 23, 9, 0))
        # Tech B gets two more hours this week: the third case goes to Tech A.
        self._visit(
            technician=self.tech_b, start="2026-11-24 09:00:00"
        ).action_schedule()
        third = self._route(self._case())
        self.assertEqual(third.technician_id, self.tech_a)
        self.assertEqual(third.appointment_start, datetime(2026, 11, 23, 11, 0))
        self.assertIn("Tech A", third.case_id.message_ids[0].body)

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_certification_expiry_and_missing_skills(self):
        # Tech A's electrical certificate expired last week.
        self.env["css.certification"].search(
            [
                ("user_id", "=", self.tech_a.id),
                ("skill_id", "=", self.skill_electric.id),
            ]
        ).date_expiry = "2026-11-16"
        visit = self._route(self._case())
        self.assertEqual(visit.technician_id, self.tech_b)
        second = self._case()
        self._route(second)
        # Tech B is booked at 9:00: the next window, Tech A cannot take it.
        self.assertEqual(
            second.service_order_ids.technician_id, self.tech_b, "only B is certified"
        )
        self.assertEqual(
            second.service_order_ids.appointment_start, datetime(2026, 11, 23, 11, 0)
        )
        # Nobody holds the skill: the case stays unrouted, the dispatcher is told.
        self.env["css.certification"].search(
            [("skill_id", "=", self.skill_electric.id)]
        ).unlink()
        self.env["css.certification"].search(
            [("skill_id", "=", self.skill_washer.id)]
        ).unlink()
        case = self._case()
        self.assertFalse(self._route(case))
        activity = self._dispatch_activities(case)
        self.assertEqual(activity.user_id, self.dispatcher)
        self.assertIn("holds a valid certification", str(activity.note))
        # Routing again schedules no second activity.
        case.action_route()
        self.assertEqual(len(self._dispatch_activities(case)), 1)

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_preferred_window_and_calendar(self):
        case = self._case(appointment_date="2026-11-25", appointment_slot="afternoon")
        visit = self._route(case)
        # Afternoon is 12-17 in the outlet's zone (UTC): the 13:00 window.
        self.assertEqual(visit.appointment_start, datetime(2026, 11, 25, 13, 0))
        # Saturday: the outlet is closed.
        weekend = self._case(appointment_date="2026-11-28", appointment_slot="morning")
        self.assertFalse(self._route(weekend))
        self.assertIn(
            "booked or off (or the outlet is closed)", weekend.message_ids[0].body
        )

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_no_outlet_covers_the_address(self):
        self.customer.write(
            {
                "zip": "100000",
                "state_id": False,
                "country_id": self.env.ref("base.fr").id,
            }
        )
        case = self._case()
        self.assertFalse(self._route(case))
        self.assertFalse(case.service_center_id)
        self.assertIn("No outlet covers", str(self._dispatch_activities(case).note))

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_reroute_updates_the_draft_and_leaves_booked_visits(self):
        case = self._case()
        visit = self._route(case)
        case.action_route()
        self.assertEqual(case.service_order_ids, visit, "the draft is updated")
        visit.action_schedule()
        case.action_route()
        self.assertEqual(case.service_order_ids, visit)
        self.assertEqual(visit.state, "scheduled")

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_customer_cannot_route(self):
        case = self._case()
        with self.assertRaises(AccessError):
            case.with_user(self.portal_user).action_route()
        with self.assertRaises(AccessError):
            case.with_user(self.tech_a).action_route()

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_query_count_does_not_grow_with_cases(self):
        """Routing 4 or 16 cases costs the same, pinned number of queries."""
        # Warm the caches (xml ids, access rules, sequence) on a first batch.
        self.env["css.case"].union(*(self._case() for _i in range(4))).action_route()
        counts = []
        for size in (4, 16):
            cases = self.env["css.case"].union(*(self._case() for _i in range(size)))
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            # The routing and the ORM's flush of what it wrote; the commit's
            # own hooks are left out, as they run once per transaction.
            with self.assertQueryCount(ROUTING_QUERIES, flush=False):
                cases.action_route()
                self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
        many = cases
        self.assertEqual(len(many.service_order_ids), 16)
        self.assertEqual(counts, [ROUTING_QUERIES, ROUTING_QUERIES])

    def _time_off(self, user, start, end, time_type="leave"):
        """Time off of the user's resource, the way Odoo's resource module stores it."""
        resource = user.resource_ids[:1] or self.env["resource.resource"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "calendar_id": self.calendar_office.id,
            }
        )
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Time off (test)",
                "resource_id": resource.id,
                "date_from": start,
                "date_to": end,
                "time_type": time_type,
            }
        )

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_time_off_blocks_slots_routing_and_scheduling(self):
        # Tech A is off on Monday morning; time of another type is work.
        self._time_off(self.tech_a, "2026-11-23 00:00:00", "2026-11-23 13:00:00")
        self._time_off(
            self.tech_b, "2026-11-23 09:00:00", "2026-11-23 11:00:00", "other"
        )
        slots = self.outlet._find_slots(
            datetime(2026, 11, 23, 0, 0),
            datetime(2026, 11, 24, 0, 0),
            self.skill_washer,
        )
        both = [self.tech_a.id, self.tech_b.id]
        self.assertEqual(
            [(slot["start"].hour, slot["technician_ids"]) for slot in slots],
            [(9, self.tech_b.ids), (11, self.tech_b.ids), (13, both), (15, both)],
        )
        visits = [self._route(self._case()) for _index in range(3)]
        self.assertEqual(
            [(visit.technician_id, visit.appointment_start.hour) for visit in visits],
            [(self.tech_b, 9), (self.tech_b, 11), (self.tech_a, 13)],
        )
        # The dispatcher cannot book Tech A in his time off either.
        visit = self._visit(start="2026-11-23 11:00:00")
        with self.assertRaisesRegex(UserError, "Tech A is off from"):
            visit.action_schedule()
        self.assertEqual(visit.state, "draft")
        # Both off all week: the case stays unrouted, and the dispatcher is told.
        self._time_off(self.tech_a, "2026-11-23 13:00:00", "2026-12-12 00:00:00")
        self._time_off(self.tech_b, "2026-11-23 00:00:00", "2026-12-12 00:00:00")
        case = self._case()
        self.assertFalse(self._route(case))
        self.assertIn("booked or off", str(self._dispatch_activities(case).note))
        self.assertFalse(
            self.outlet._find_slots(
                datetime(2026, 11, 23, 0, 0),
                datetime(2026, 12, 5, 0, 0),
                self.skill_washer,
            )
        )

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_find_slots(self):
        slots = self.outlet._find_slots(
            datetime(2026, 11, 23, 0, 0),
            datetime(2026, 11, 24, 0, 0),
            self.skill_washer,
        )
        self.assertEqual(
            [slot["start"].hour for slot in slots], [9, 11, 13, 15], "outlet hours"
        )
        self.assertEqual(slots[0]["technician_ids"], [self.tech_a.id, self.tech_b.id])
        self._visit(technician=self.tech_a).action_schedule()
        self._visit(technician=self.tech_b).action_schedule()
        slots = self.outlet._find_slots(
            datetime(2026, 11, 23, 0, 0),
            datetime(2026, 11, 24, 0, 0),
            self.skill_washer,
        )
        self.assertEqual([slot["start"].hour for slot in slots], [11, 13, 15])
        # Nobody certified for a skill: no window at all.
        gas = self.env["css.skill"].create({"name": "Refrigerant (test)"})
        self.assertFalse(
            self.outlet._find_slots(
                datetime(2026, 11, 23, 0, 0), datetime(2026, 11, 30, 0, 0), gas
            )
        )
        # The past is not offered: at 12:00 the 13:00 window is the first.
        with freeze_time("2026-11-23 12:00:00"):
            slots = self.outlet._find_slots(
                datetime(2026, 11, 23, 0, 0),
                datetime(2026, 11, 24, 0, 0),
                self.skill_washer,
            )
        self.assertEqual(slots[0]["start"], datetime(2026, 11, 23, 13, 0))
