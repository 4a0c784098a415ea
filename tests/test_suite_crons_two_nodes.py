"""Crons safe on many nodes: each batch cron run from two connections at once.

Two Odoo nodes share one database; a batch cron started on both (by the
scheduler on one and "Run manually" on the other, or by two schedulers) must
claim its records so that each is processed, and each mail or activity is
created, once. The data is committed on a cursor of its own (the second
connection must see it) and removed afterwards; what the crons did to the
database's other records is undone too.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.sql_db import db_connect
from odoo.tests.common import BaseCase, tagged
from odoo.tools import config

from odoo.addons.crm_haier_css.models import css_certification, css_contract
from odoo.addons.crm_receivables_aging.models import aging_reminder_policy

PREFIX = "TWO-NODES"


class TwoNodesCase(BaseCase):
    """Committed data, and a cron method run by two nodes until done."""

    test_module = "crm_suite"

    def setUp(self):
        super().setUp()
        name = config["db_name"]
        self.dbname = name[0] if isinstance(name, list) else name
        # Rows the crons may add anywhere in the database, deleted afterwards.
        self.created_tables = ("mail_activity", "mail_message", "mail_mail")
        with self.committed() as env:
            self.last_ids = {}
            for table in self.created_tables:
                env.cr.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
                self.last_ids[table] = env.cr.fetchone()[0]
        self.addCleanup(self._delete_created)

    @contextmanager
    def committed(self, context=None):
        """An environment on a new connection, committed on exit."""
        with db_connect(self.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, context or {})

    def _delete_created(self):
        with self.committed() as env:
            for table in reversed(self.created_tables):
                env.cr.execute(
                    f"DELETE FROM {table} WHERE id > %s",
                    [self.last_ids[table]],
                )

    def _node(self, cron_xmlid, barrier, errors, runs):
        """One node's cron worker, as Odoo's runner: a committed transaction per
        call, called again while the method reports work done and remaining."""
        try:
            barrier.wait()
            for _call in range(100):
                with self.committed() as env:
                    cron = env.ref(cron_xmlid)
                    cron, progress = cron._add_progress()
                    env.cr.commit()
                    model = env[cron.model_id.model].with_context(**cron.env.context)
                    method = cron.code.removeprefix("model.").removesuffix("()")
                    getattr(model, method)()
                    env.flush_all()
                    done, remaining = progress.done, progress.remaining
                runs.append(done)
                if not (done and remaining):
                    return
        except Exception as error:  # reported by the test
            errors.append(error)

    def run_two_nodes(self, cron_xmlid):
        """Run the cron on two nodes at once; return the records each call did."""
        barrier = threading.Barrier(2)
        errors, runs = [], []
        nodes = [
            threading.Thread(
                target=self._node, args=(cron_xmlid, barrier, errors, runs)
            )
            for _node in range(2)
        ]
        for node in nodes:
            node.start()
        for node in nodes:
            node.join(timeout=300)
        self.assertFalse(errors)
        return runs


@tagged("standard", "post_install", "-at_install")
class TestSlaCronOnTwoNodes(TwoNodesCase):
    CASES = 40

    def setUp(self):
        super().setUp()
        with self.committed() as env:
            # The cron escalates every due case of the database: what it does
            # to the others is undone afterwards.
            env.cr.execute(
                "SELECT id, escalation_level, escalation_date, sla_status "
                "FROM css_case WHERE is_open"
            )
            self.open_cases = env.cr.fetchall()
            env = env(context={"tracking_disable": True})
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
                    for n in range(self.CASES)
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
        with self.committed() as env:
            env["ir.config_parameter"].set_param(
                "crm_haier_css.sla_cron_batch_size", False
            )
            env.cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'css.case' AND id > %s",
                [self.last_ids["mail_activity"]],
            )
            env["css.case"].browse(self.case_ids).unlink()
            for case_id, level, date, status in self.open_cases:
                env.cr.execute(
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

    def test_each_case_is_escalated_once_per_level(self):
        self.run_two_nodes("crm_haier_css.ir_cron_css_sla_check")
        with self.committed() as env:
            env.cr.execute(
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
            rows = env.cr.fetchall()
        self.assertEqual(len(rows), self.CASES)
        for case_id, level, activities, notes in rows:
            with self.subTest(case=case_id):
                # Level 1 (team leader) then level 2 (no escalation delay):
                # one activity and one note each, whichever node did it.
                self.assertEqual(level, 2)
                self.assertEqual(activities, 2)
                self.assertEqual(notes, 2)


@tagged("standard", "post_install", "-at_install")
class TestReminderCronOnTwoNodes(TwoNodesCase):
    """Payment reminders: one log, one queued e-mail per customer, whoever sent."""

    CUSTOMERS = 12

    def setUp(self):
        super().setUp()
        self.created_tables += ("aging_reminder_log",)
        with self.committed() as env:
            env.cr.execute("SELECT COALESCE(max(id), 0) FROM aging_reminder_log")
            self.last_ids["aging_reminder_log"] = env.cr.fetchone()[0]
            # The cron reminds every customer of the database that is due: its
            # effect on the others is undone afterwards.
            env.cr.execute(
                "SELECT id, aging_reminder_level_id FROM account_move "
                "WHERE move_type = 'out_invoice'"
            )
            self.levels = env.cr.fetchall()
            env.cr.execute("SELECT id, aging_manual_hold FROM res_partner")
            self.holds = env.cr.fetchall()
            env = env(context={"tracking_disable": True})
            customers = env["res.partner"].create(
                [
                    {"name": f"{PREFIX} {n}", "email": f"two-nodes-{n}@example.com"}
                    for n in range(self.CUSTOMERS)
                ]
            )
            # Ten days overdue: the e-mail level of the default policy.
            due = fields.Date.today() - timedelta(days=10)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": due,
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Refrigerator", "price_unit": 100.0}
                                | {"tax_ids": []}
                            )
                        ],
                    }
                    for customer in customers
                ]
            )
            invoices.action_post()
            self.customer_ids = customers.ids
            self.invoice_ids = invoices.ids
        self.addCleanup(self._cleanup)
        batch = patch.object(aging_reminder_policy, "CRON_BATCH_SIZE", 5)
        batch.start()
        self.addCleanup(batch.stop)

    def _cleanup(self):
        with self.committed() as env:
            env.cr.execute(
                "DELETE FROM aging_reminder_log WHERE id > %s",
                [self.last_ids["aging_reminder_log"]],
            )
            for move_id, level_id in self.levels:
                env.cr.execute(
                    "UPDATE account_move SET aging_reminder_level_id = %s "
                    "WHERE id = %s",
                    [level_id, move_id],
                )
            for partner_id, hold in self.holds:
                env.cr.execute(
                    "UPDATE res_partner SET aging_manual_hold = %s WHERE id = %s",
                    [hold, partner_id],
                )
            invoices = env["account.move"].browse(self.invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.customer_ids).unlink()

    def test_each_customer_is_reminded_once(self):
        runs = self.run_two_nodes("crm_receivables_aging.ir_cron_send_reminders")
        self.assertGreaterEqual(sum(runs), self.CUSTOMERS)
        with self.committed() as env:
            env.cr.execute(
                """
                SELECT p.id,
                       (SELECT count(*) FROM aging_reminder_log l
                         WHERE l.partner_id = p.id),
                       (SELECT count(*) FROM aging_reminder_log l
                         WHERE l.partner_id = p.id AND l.mail_id IS NOT NULL),
                       (SELECT count(*) FROM mail_mail mm
                          JOIN mail_mail_res_partner_rel r
                            ON r.mail_mail_id = mm.id
                         WHERE r.res_partner_id = p.id),
                       (SELECT count(*) FROM account_move m
                         WHERE m.partner_id = p.id
                           AND m.aging_reminder_level_id IS NOT NULL)
                  FROM res_partner p WHERE p.id IN %s
                """,
                [tuple(self.customer_ids)],
            )
            rows = env.cr.fetchall()
        self.assertEqual(len(rows), self.CUSTOMERS)
        for partner_id, logs, logs_with_mail, mails, marked in rows:
            with self.subTest(customer=partner_id):
                self.assertEqual(logs, 1)
                # Logged and sent in one transaction: never one without the other.
                self.assertEqual(logs_with_mail, 1)
                self.assertEqual(mails, 1)
                self.assertEqual(marked, 1)


@tagged("standard", "post_install", "-at_install")
class TestFieldServiceCronsOnTwoNodes(TwoNodesCase):
    """Certification expiry reminders and contract expiry, on two nodes."""

    RECORDS = 12

    def setUp(self):
        super().setUp()
        with self.committed({"tracking_disable": True}) as env:
            env.cr.execute("SELECT id, expiry_reminder_date FROM css_certification")
            self.reminders = env.cr.fetchall()
            env.cr.execute("SELECT id, state FROM css_contract")
            self.states = env.cr.fetchall()
            company = env.company
            self.manager = company.css_service_manager_id.id
            manager = env["res.users"].create(
                {"name": f"{PREFIX} manager", "login": f"{PREFIX.lower()}-manager"}
            )
            company.css_service_manager_id = manager
            technicians = env["res.users"].create(
                [
                    {"name": f"{PREFIX} tech {n}", "login": f"two-nodes-tech-{n}"}
                    for n in range(self.RECORDS)
                ]
            )
            skill = env["css.skill"].create({"name": f"{PREFIX} skill"})
            today = fields.Date.today()
            certifications = env["css.certification"].create(
                [
                    {
                        "user_id": technician.id,
                        "skill_id": skill.id,
                        "date_obtained": today - timedelta(days=300),
                        "date_expiry": today + timedelta(days=10),
                    }
                    for technician in technicians
                ]
            )
            customer = env["res.partner"].create({"name": f"{PREFIX} customer"})
            contracts = env["css.contract"].create(
                [
                    {
                        "partner_id": customer.id,
                        "date_start": today - timedelta(days=400),
                        "date_end": today - timedelta(days=1),
                    }
                    for _n in range(self.RECORDS)
                ]
            )
            contracts.write({"state": "running"})
            self.ids = {
                "manager": manager,
                "technicians": technicians,
                "skill": skill,
                "certifications": certifications,
                "customer": customer,
                "contracts": contracts,
            }
            self.ids = {key: value.ids for key, value in self.ids.items()}
        self.addCleanup(self._cleanup)
        for module in (css_certification, css_contract):
            batch = patch.object(module, "CRON_BATCH_SIZE", 5)
            batch.start()
            self.addCleanup(batch.stop)

    def _cleanup(self):
        with self.committed() as env:
            env.company.css_service_manager_id = self.manager
            for table, column, rows in (
                ("css_certification", "expiry_reminder_date", self.reminders),
                ("css_contract", "state", self.states),
            ):
                for record_id, value in rows:
                    env.cr.execute(
                        f"UPDATE {table} SET {column} = %s WHERE id = %s",
                        [value, record_id],
                    )
            env["css.contract"].browse(self.ids["contracts"]).unlink()
            env["css.certification"].browse(self.ids["certifications"]).unlink()
            env["css.skill"].browse(self.ids["skill"]).unlink()
            users = env["res.users"].browse(
                self.ids["technicians"] + self.ids["manager"]
            )
            partners = users.partner_id
            users.unlink()
            (partners + env["res.partner"].browse(self.ids["customer"])).unlink()

    def test_each_expiring_certification_is_reminded_once(self):
        self.run_two_nodes("crm_haier_css.ir_cron_css_certification_expiry")
        with self.committed() as env:
            env.cr.execute(
                """
                SELECT c.id, c.expiry_reminder_date IS NOT NULL,
                       (SELECT count(*) FROM mail_activity a
                         WHERE a.res_model = 'css.certification'
                           AND a.res_id = c.id)
                  FROM css_certification c WHERE c.id IN %s
                """,
                [tuple(self.ids["certifications"])],
            )
            rows = env.cr.fetchall()
        self.assertEqual(len(rows), self.RECORDS)
        for certification_id, reminded, activities in rows:
            with self.subTest(certification=certification_id):
                self.assertTrue(reminded)
                self.assertEqual(activities, 1)

    def test_each_ended_contract_expires_once(self):
        self.run_two_nodes("crm_haier_css.ir_cron_css_contract_expire")
        with self.committed() as env:
            env.cr.execute(
                """
                SELECT c.id, c.state,
                       (SELECT count(*) FROM mail_tracking_value v
                          JOIN mail_message m ON m.id = v.mail_message_id
                          JOIN ir_model_fields f ON f.id = v.field_id
                         WHERE m.model = 'css.contract' AND m.res_id = c.id
                           AND f.name = 'state'
                           AND v.new_value_char = 'Expired')
                  FROM css_contract c WHERE c.id IN %s
                """,
                [tuple(self.ids["contracts"])],
            )
            rows = env.cr.fetchall()
        self.assertEqual(len(rows), self.RECORDS)
        for contract_id, state, trackings in rows:
            with self.subTest(contract=contract_id):
                self.assertEqual(state, "expired")
                self.assertEqual(trackings, 1)


@tagged("standard", "post_install", "-at_install")
class TestAnalyticsCronsOnTwoNodes(TwoNodesCase):
    """The recomputations run on one node at a time and leave one row each."""

    def test_scores_recomputed_by_one_node_at_a_time(self):
        self.run_two_nodes("crm_analytics.ir_cron_compute_scores")
        with self.committed() as env:
            env.cr.execute(
                "SELECT partner_id, company_id, count(*) FROM crm_customer_score "
                "GROUP BY partner_id, company_id HAVING count(*) > 1"
            )
            self.assertFalse(env.cr.fetchall())
            env.cr.execute("SELECT count(*) FROM crm_customer_score")
            self.assertTrue(env.cr.fetchone()[0])

    def test_affinities_recomputed_by_one_node_at_a_time(self):
        self.run_two_nodes("crm_analytics.ir_cron_compute_affinities")
        with self.committed() as env:
            env.cr.execute(
                "SELECT company_id, product_id, related_product_id, count(*) "
                "FROM crm_product_affinity "
                "GROUP BY company_id, product_id, related_product_id "
                "HAVING count(*) > 1"
            )
            self.assertFalse(env.cr.fetchall())

    def test_lock_held_by_one_node(self):
        """While one node recomputes, the other node's call does nothing."""
        with self.committed() as env1, self.committed() as env2:
            Score1 = env1["crm.customer.score"]
            Score2 = env2["crm.customer.score"]
            self.assertIsNot(Score1._cron_compute_scores(), False)
            self.assertIs(Score2._cron_compute_scores(), False)
            env2.cr.rollback()
            env1.cr.rollback()
