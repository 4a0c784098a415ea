"""Crons safe on many nodes: the same batch cron run from two connections at once.

Two Odoo nodes share one database and both run their cron workers; a batch
cron must claim its records so that each is processed once. The data is
committed on a cursor of its own (a second connection must see it) and
deleted afterwards.
"""

import threading
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import db_connect
from odoo.tests.common import BaseCase, tagged
from odoo.tools import config

CASES = 40
PREFIX = "TWO-NODES"


def _dbname():
    name = config["db_name"]
    return name[0] if isinstance(name, list) else name


@tagged("standard", "post_install", "-at_install")
class TestSlaCronOnTwoNodes(BaseCase):
    test_module = "crm_suite"

    def setUp(self):
        super().setUp()
        self.dbname = _dbname()
        with db_connect(self.dbname).cursor() as cr:
            # The cron escalates every due case of the database: what it does
            # to the others is undone afterwards.
            cr.execute(
                "SELECT id, escalation_level, escalation_date, sla_status "
                "FROM css_case WHERE is_open"
            )
            self.open_cases = cr.fetchall()
            cr.execute("SELECT max(id) FROM mail_activity")
            self.last_activity = cr.fetchone()[0] or 0
            cr.execute("SELECT max(id) FROM mail_message")
            self.last_message = cr.fetchone()[0] or 0
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            leader = env["res.users"].create(
                {"name": f"{PREFIX} leader", "login": f"{PREFIX.lower()}-leader"}
            )
            team = env["css.team"].create(
                {"name": f"{PREFIX} team", "leader_id": leader.id}
            )
            policy = env["css.sla.policy"].create(
                {
                    "name": f"{PREFIX} policy",
                    "sequence": 0,
                    "response_hours": 1,
                    "resolution_hours": 2,
                    "escalation_hours": 0,
                }
            )
            customer = env["res.partner"].create({"name": f"{PREFIX} customer"})
            reported = fields.Datetime.now() - timedelta(days=3)
            cases = env["css.case"].create(
                [
                    {
                        "partner_id": customer.id,
                        "subject": f"{PREFIX} {n}",
                        "team_id": team.id,
                        "reported_date": reported,
                        "sla_policy_id": policy.id,
                    }
                    for n in range(CASES)
                ]
            )
            env["ir.config_parameter"].set_param(
                "crm_haier_css.sla_cron_batch_size", "7"
            )
            self.case_ids = cases.ids
            self.record_ids = {
                "leader": leader.id,
                "leader_partner": leader.partner_id.id,
                "team": team.id,
                "policy": policy.id,
                "customer": customer.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param(
                "crm_haier_css.sla_cron_batch_size", False
            )
            env["mail.activity"].search(
                [("res_model", "=", "css.case"), ("id", ">", self.last_activity)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "css.case"), ("id", ">", self.last_message)]
            ).unlink()
            env["css.case"].browse(self.case_ids).unlink()
            for case_id, level, date, status in self.open_cases:
                cr.execute(
                    "UPDATE css_case SET escalation_level = %s, "
                    "escalation_date = %s, sla_status = %s WHERE id = %s",
                    [level, date, status, case_id],
                )
            env["css.team"].browse(self.record_ids["team"]).unlink()
            env["css.sla.policy"].browse(self.record_ids["policy"]).unlink()
            env["res.users"].browse(self.record_ids["leader"]).unlink()
            env["res.partner"].browse(
                [self.record_ids["customer"], self.record_ids["leader_partner"]]
            ).unlink()

    def _node(self, barrier, errors):
        """One node's cron worker: run the SLA cron until nothing is left."""
        try:
            barrier.wait()
            for _run in range(50):
                # Each batch in a transaction of its own, committed when the
                # cursor closes, as Odoo's cron runner does.
                with db_connect(self.dbname).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    try:
                        done = env["css.case"]._cron_sla_check()
                    except psycopg2.errors.SerializationFailure:
                        # The other node changed the same rows first: this
                        # batch is rolled back and claimed again.
                        cr.rollback()
                        continue
                if not done:
                    return
        except Exception as error:  # reported by the test
            errors.append(error)

    def _run_two_nodes(self):
        barrier = threading.Barrier(2)
        errors = []
        nodes = [
            threading.Thread(target=self._node, args=(barrier, errors))
            for _node in range(2)
        ]
        for node in nodes:
            node.start()
        for node in nodes:
            node.join(timeout=120)
        self.assertFalse(errors)

    def test_each_case_is_escalated_once_per_level(self):
        self._run_two_nodes()
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                """
                SELECT c.id, c.escalation_level,
                       (SELECT count(*) FROM mail_activity a
                         WHERE a.res_model = 'css.case' AND a.res_id = c.id),
                       (SELECT count(*) FROM mail_message m
                         WHERE m.model = 'css.case' AND m.res_id = c.id
                           AND m.body::text LIKE '%%escalation%%')
                  FROM css_case c WHERE c.id IN %s
                """,
                [tuple(self.case_ids)],
            )
            rows = cr.fetchall()
        self.assertEqual(len(rows), CASES)
        for case_id, level, activities, notes in rows:
            with self.subTest(case=case_id):
                # Level 1 (team leader) then level 2 (no escalation delay):
                # one activity and one note each, whichever node did it.
                self.assertEqual(level, 2)
                self.assertEqual(activities, 2)
                self.assertEqual(notes, 2)
