"""E-mail intake on two workers at once: one e-mail, one case.

A mail server may hand the same message to two workers at the same time (a
retry after a timeout, two MX relays). Both pass the gateway's Message-Id
check before either has committed; the case's unique Message-Id makes the
second wait for the first and fail with a serialization failure, which Odoo
retries: the retry skips the e-mail as a known Message-Id.
The data is committed on cursors of their own and deleted afterwards.
"""

import threading
import time
import uuid

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests.common import BaseCase, tagged
from odoo.tools import config, mute_logger


@tagged("standard", "post_install", "-at_install")
class TestMailIntakeOnTwoWorkers(BaseCase):
    test_module = "crm_suite"

    def setUp(self):
        super().setUp()
        name = config["db_name"]
        self.dbname = name[0] if isinstance(name, list) else name
        self.message_id = f"<two-workers-{uuid.uuid4().hex}@example.com>"
        self.message = (
            f"Message-Id: {self.message_id}\r\n"
            "From: Two Workers <two.workers@example.com>\r\n"
            "To: service@example.com\r\n"
            "Subject: The dryer is noisy\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "It rattles at every spin.\r\n"
        )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["css.case"].search(
                [("intake_message_id", "=", self.message_id)]
            ).unlink()
            env["mail.message"].search([("message_id", "=", self.message_id)]).unlink()

    def _deliver(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["mail.thread"].message_process("css.case", self.message)

    def test_same_message_delivered_twice_at_once_makes_one_case(self):
        outcome = {}

        def second_worker():
            with db_connect(self.dbname).cursor() as cr:
                try:
                    with mute_logger("odoo.sql_db"):
                        outcome["first try"] = self._deliver(cr)
                except psycopg2.errors.SerializationFailure:
                    outcome["first try"] = "serialization failure"
                    cr.rollback()
                    # Odoo retries the request: the gateway skips it now.
                    outcome["retry"] = self._deliver(cr)

        with db_connect(self.dbname).cursor() as cr:
            case_id = self._deliver(cr)
            self.assertTrue(case_id)
            # The second worker runs while the first has not committed: it
            # passes the Message-Id check and waits on the case's row.
            worker = threading.Thread(target=second_worker)
            worker.start()
            time.sleep(1)
            self.assertTrue(worker.is_alive(), "the second delivery waits")
        worker.join(timeout=60)
        self.assertEqual(
            outcome, {"first try": "serialization failure", "retry": False}
        )
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cases = env["css.case"].search(
                [("intake_message_id", "=", self.message_id)]
            )
            self.assertEqual(cases.ids, [case_id])
            self.assertEqual(cases.channel, "email")
            self.assertEqual(
                env["mail.message"].search_count(
                    [("message_id", "=", self.message_id)]
                ),
                1,
            )

    def test_redelivery_after_commit_is_skipped(self):
        with db_connect(self.dbname).cursor() as cr:
            self.assertTrue(self._deliver(cr))
        with db_connect(self.dbname).cursor() as cr:
            self.assertFalse(self._deliver(cr))
