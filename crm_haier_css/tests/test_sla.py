# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.crm_haier_css.models.css_sla_policy import _round_to_second

from .common import CssCommon

FRIDAY_3PM = datetime(2026, 11, 20, 15, 0)  # a Friday


@tagged("post_install", "-at_install")
class TestSlaDeadlines(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def _case_reported_at(self, when):
        with freeze_time(when):
            case = self._new_case(reported_date=fields.Datetime.now())
            case.flush_recordset()
        return case

    def test_default_promise_is_24_hours_around_the_clock(self):
        case = self._case_reported_at(FRIDAY_3PM)
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertEqual(case.response_deadline, datetime(2026, 11, 21, 15, 0))
        self.assertEqual(case.resolution_deadline, datetime(2026, 11, 23, 15, 0))
        self.assertEqual(case.response_risk_date, datetime(2026, 11, 21, 3, 0))

    def test_office_calendar_skips_the_weekend(self):
        self.policy.write(
            {
                "calendar_id": self.calendar_office.id,
                "response_hours": 4,
                "resolution_hours": 16,
            }
        )
        case = self._case_reported_at(FRIDAY_3PM)
        # Friday 15-17 counts 2 hours; Monday 9-11 the other two.
        self.assertEqual(case.response_deadline, datetime(2026, 11, 23, 11, 0))
        # 2 h on Friday, 8 h on Monday, 6 h on Tuesday.
        self.assertEqual(case.resolution_deadline, datetime(2026, 11, 24, 15, 0))
        # Reported on Saturday: the clock starts on Monday morning.
        case = self._case_reported_at(datetime(2026, 11, 21, 10, 0))
        self.assertEqual(case.response_deadline, datetime(2026, 11, 23, 13, 0))

    def test_deadlines_in_one_calendar_walk_agree_with_plan_hours(self):
        """The four targets come from one walk over the calendar's intervals:
        the same instants as resource's plan_hours, one duration at a time."""
        self.policy.write({"calendar_id": self.calendar_office.id})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar_office.id,
                "date_from": datetime(2026, 11, 24, 0, 0),
                "date_to": datetime(2026, 11, 24, 23, 59),
            }
        )
        calendar = self.calendar_office
        hours_list = [0, 0.5, 2, 4, 8, 16, 35.7, 72, 200]
        for start in (FRIDAY_3PM, datetime(2026, 11, 21, 10, 0)):
            with self.subTest(start=start):
                planned = self.policy._plan(start, *hours_list)
                for hours, deadline in zip(hours_list, planned, strict=True):
                    expected = (
                        calendar.plan_hours(hours, start, compute_leaves=True)
                        if hours
                        else start
                    )
                    self.assertEqual(deadline, _round_to_second(expected), f"{hours} h")

    def test_policy_chosen_by_type_priority_and_customer_tag(self):
        vip = self.env["res.partner.category"].create({"name": "VIP (test)"})
        urgent_policy = self.env["css.sla.policy"].create(
            {
                "name": "Urgent",
                "sequence": 1,
                "priority": "3",
                "response_hours": 2,
                "resolution_hours": 8,
            }
        )
        vip_policy = self.env["css.sla.policy"].create(
            {
                "name": "VIP",
                "sequence": 2,
                "partner_category_ids": [vip.id],
                "response_hours": 4,
                "resolution_hours": 24,
            }
        )
        install_policy = self.env["css.sla.policy"].create(
            {
                "name": "Installations",
                "sequence": 3,
                "case_type": "installation",
                "response_hours": 24,
                "resolution_hours": 120,
            }
        )
        case = self._new_case(reported_date=FRIDAY_3PM)
        self.assertEqual(case.sla_policy_id, self.policy)
        case.case_type = "installation"
        self.assertEqual(case.sla_policy_id, install_policy)
        self.customer.category_id = vip
        case.partner_id = self.customer
        case.invalidate_recordset()
        self.assertEqual(
            self._new_case(case_type="installation").sla_policy_id, vip_policy
        )
        case.priority = "3"
        self.assertEqual(case.sla_policy_id, urgent_policy)
        self.assertEqual(case.response_deadline, datetime(2026, 11, 20, 17, 0))

    def test_contract_policy_takes_precedence(self):
        gold = self.env["css.sla.policy"].create(
            {
                "name": "Gold contract",
                "sequence": 500,
                "response_hours": 4,
                "resolution_hours": 24,
            }
        )
        contract = self.env["css.contract"].create(
            {
                "partner_id": self.customer.id,
                "asset_ids": [self.asset.id],
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "sla_policy_id": gold.id,
            }
        )
        contract.action_start()
        case = self._new_case(asset_id=self.asset.id, reported_date=FRIDAY_3PM)
        self.assertEqual(case.contract_id, contract)
        self.assertEqual(case.sla_policy_id, gold)
        self.assertEqual(case.response_deadline, datetime(2026, 11, 20, 19, 0))

    def test_policy_rejects_negative_hours(self):
        for field in ("response_hours", "resolution_hours", "escalation_hours"):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.env["css.sla.policy"].create({"name": "Bad", field: -1})
        with self.assertRaises(ValidationError):
            self.policy.risk_percent = 120
        self.assertEqual(self.policy.risk_percent, 50)

    def test_policy_form_in_settings(self):
        with Form(self.env["css.sla.policy"].with_user(self.manager)) as form:
            form.name = "Office hours"
            form.calendar_id = self.calendar_office
            form.response_hours = 8
        self.assertEqual(form.record.resolution_hours, 72)


@tagged("post_install", "-at_install")
class TestSlaCron(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        # Reported Fri 08:00; respond in 4 h (at risk after 2 h), resolve in
        # 8 h; the manager hears 2 h after the team leader.
        cls.policy.write({"response_hours": 4, "resolution_hours": 8})

    def setUp(self):
        super().setUp()
        # Everything runs on a frozen clock: stored SLA statuses are computed
        # against "now", so no computation may slip out to the real time.
        self.clock = freeze_time("2026-11-20 08:00:00")
        self.frozen = self.clock.start()
        self.addCleanup(self.clock.stop)

    def _cron(self, when):
        self.frozen.move_to(when)
        self.env["css.case"]._cron_sla_check()
        self.env.invalidate_all()

    def _escalations(self, case, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "css.case"),
                ("res_id", "=", case.id),
                ("user_id", "=", user.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("crm_haier_css.mail_activity_type_css_escalation").id,
                ),
            ]
        )

    def test_at_risk_breach_and_two_escalations_once_each(self):
        case = self._new_case()
        answered = self._new_case()
        answered.action_first_response()
        self.assertEqual(case.sla_status, "on_track")

        self._cron("2026-11-20 09:00:00")
        self.assertEqual(case.sla_status, "on_track")

        self._cron("2026-11-20 10:00:00")
        self._cron("2026-11-20 10:05:00")
        self.assertEqual(case.sla_status, "at_risk")
        self.assertEqual(answered.sla_status, "on_track")
        self.assertEqual(case.escalation_level, 0)

        self._cron("2026-11-20 12:01:00")
        self._cron("2026-11-20 12:02:00")
        self.assertEqual(case.sla_status, "breached")
        self.assertEqual(case.escalation_level, 1)
        self.assertEqual(len(self._escalations(case, self.leader)), 1)
        self.assertFalse(self._escalations(case, self.manager))
        notes = case.message_ids.filtered(
            lambda m: "first escalation" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        # Answered in time: at risk only once its resolution target nears.
        self.assertEqual(answered.sla_status, "at_risk")
        self.assertEqual(answered.escalation_level, 0)

        self._cron("2026-11-20 13:00:00")
        self.assertEqual(case.escalation_level, 1)

        self._cron("2026-11-20 14:02:00")
        self._cron("2026-11-20 14:30:00")
        self.assertEqual(case.escalation_level, 2)
        self.assertEqual(len(self._escalations(case, self.manager)), 1)
        self.assertEqual(len(self._escalations(case, self.leader)), 1)

        self._cron("2026-11-21 14:30:00")
        self.assertEqual(answered.sla_status, "breached")
        self.assertEqual(len(self._escalations(answered, self.leader)), 1)

    def test_resolved_in_time_is_met_and_never_escalated(self):
        case = self._new_case(fault_code_id=self.fault.id)
        self.frozen.move_to("2026-11-20 09:00:00")
        case.action_resolve()
        self.assertEqual(case.sla_status, "met")
        self._cron("2026-11-23 09:00:00")
        self.assertEqual(case.sla_status, "met")
        self.assertEqual(case.escalation_level, 0)

    def test_late_answer_breaches_immediately(self):
        case = self._new_case()
        self.frozen.move_to("2026-11-20 13:00:00")
        case.action_first_response()
        self.assertEqual(case.sla_status, "breached")

    def test_reopen_restarts_the_resolution_clock(self):
        case = self._new_case(fault_code_id=self.fault.id)
        case.action_resolve()
        self.frozen.move_to("2026-11-23 08:00:00")
        case.action_reopen()
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.resolution_deadline, datetime(2026, 11, 23, 16, 0))
        self.assertEqual(case.sla_status, "on_track")
        self.assertEqual(case.reopen_count, 1)

    def _queries_for_cron(self, count):
        self.frozen.move_to("2026-11-20 08:00:00")
        for _i in range(count):
            self._new_case()
        self.env.flush_all()
        self.env.invalidate_all()
        self.frozen.move_to("2026-11-20 13:00:00")
        start = self.env.cr.sql_log_count
        self.env["css.case"]._cron_sla_check()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_cron_query_count_does_not_grow_with_cases(self):
        # Warm the caches (ORM metadata, xml ids) with a first run.
        self._queries_for_cron(1)
        few = self._queries_for_cron(3)
        many = self._queries_for_cron(30)
        self.assertEqual(few, many)

    def test_cron_batches_escalations(self):
        # Open demo cases would take places in the batch: escalated already.
        self.env["css.case"].search([("is_open", "=", True)]).escalation_level = 2
        self.env["ir.config_parameter"].set_param(
            "crm_haier_css.sla_cron_batch_size", 2
        )
        cases = self._new_case() | self._new_case() | self._new_case()
        self._cron("2026-11-20 13:00:00")
        self.assertEqual(sorted(cases.mapped("escalation_level")), [0, 1, 1])
        self._cron("2026-11-20 13:01:00")
        self.assertEqual(cases.mapped("escalation_level"), [1, 1, 1])


@tagged("post_install", "-at_install")
class TestSlaRulesAgree(CssCommon, TransactionCase):
    """The SLA rules exist in Python (on every change) and in SQL (the cron).

    Over a grid of states, answers and times, the cron's SQL must leave every
    open case with the status the Python rules give at that moment.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_sla_rules_agree(self):
        start = FRIDAY_3PM
        hours = [1, 13, 25, 37, 73]  # on track, response at risk, response late,
        # resolution at risk, resolution late (24 h / 72 h, at risk at 50 %)
        answers = {"unanswered": None, "early": 2, "late": 30}
        states = {
            "new": lambda case: None,
            "in_progress": lambda case: case.action_assign(),
            "waiting": lambda case: case.action_wait(),
        }
        cases = {}
        with freeze_time(start):
            for state, move in states.items():
                for answer in answers:
                    case = self._new_case(reported_date=start, user_id=False).with_user(
                        self.agent
                    )
                    move(case)
                    case.flush_recordset()
                    cases[state, answer] = case
        for hour in hours:
            now = fields.Datetime.add(start, hours=hour)
            for (_state, answer), case in cases.items():
                answered_at = answers[answer]
                if answered_at and answered_at < hour and not case.first_response_date:
                    with freeze_time(fields.Datetime.add(start, hours=answered_at)):
                        case.action_first_response()
                        case.flush_recordset()
            self.env["css.case"]._sla_update_statuses(now)
            for (state, answer), case in cases.items():
                with self.subTest(state=state, answer=answer, hour=hour):
                    case.invalidate_recordset()
                    self.assertEqual(
                        case.sla_status,
                        case._sla_status_at(now),
                        case.read(["response_risk_date", "response_deadline"]),
                    )
        # The grid reaches every open status.
        self.assertEqual({case.sla_status for case in cases.values()}, {"breached"})
        self.assertEqual(
            cases["waiting", "unanswered"].escalation_level, 0, "no cron escalation"
        )

    def test_unanswered_cases_do_not_count_as_instant_answers(self):
        with freeze_time(FRIDAY_3PM):
            answered = self._new_case(reported_date=FRIDAY_3PM, channel="letter")
            unanswered = self._new_case(reported_date=FRIDAY_3PM, channel="letter")
        with freeze_time(fields.Datetime.add(FRIDAY_3PM, hours=3)):
            answered.action_first_response()
        (answered | unanswered).flush_recordset()
        [(average, count)] = self.env["css.case"]._read_group(
            [("id", "in", (answered | unanswered).ids)],
            [],
            ["response_hours:avg", "__count"],
        )
        self.assertEqual(count, 2)
        self.assertEqual(average, 3.0)
        self.assertEqual(
            self.env["css.case"].search_count(
                [("id", "in", (answered | unanswered).ids)]
                + [("first_response_date", "=", False)]
            ),
            1,
        )
