# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Two transactions create the same external reference at once.

The distributor's system retries a create whose answer it did not get while
the first request is still running. Both requests look the reference up
before either has committed (REPEATABLE READ: neither sees the other's
case), both insert; the unique index makes the second fail. That failure
must be a serialisation failure, which Odoo retries, and the retry must
return the first case. Two real connections, committed data, cleaned up
afterwards.
"""

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.sql_db import db_connect
from odoo.tests.common import BaseCase, tagged
from odoo.tools import config, mute_logger

from ..models.css_external_ref_mixin import ExternalRefConflict

REF = "CONCURRENT-REF-1"


def _dbname():
    name = config["db_name"]
    return name[0] if isinstance(name, list) else name


@tagged("post_install", "-at_install")
class TestExternalRefConcurrency(BaseCase):
    def setUp(self):
        super().setUp()
        self.dbname = _dbname()
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.distributor_id = (
                env["res.partner"]
                .create(
                    {"name": "Concurrent distributor (test)", "is_distributor": True}
                )
                .id
            )
            self.customer_id = (
                env["res.partner"].create({"name": "Concurrent customer"}).id
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for model in ("css.case", "css.asset"):
                env[model].with_context(active_test=False).search(
                    [("distributor_id", "=", self.distributor_id)]
                ).unlink()
            env["res.partner"].browse([self.customer_id, self.distributor_id]).unlink()

    def _vals(self):
        return {
            "partner_id": self.customer_id,
            "channel": "api",
            "subject": "Sent twice",
            "external_ref": REF,
            "distributor_id": self.distributor_id,
        }

    def _count(self):
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM css_case WHERE external_ref = %s "
                "AND distributor_id = %s",
                [REF, self.distributor_id],
            )
            return cr.fetchone()[0]

    def test_losing_transaction_is_retried_and_returns_the_first_case(self):
        with (
            db_connect(self.dbname).cursor() as cr_first,
            db_connect(self.dbname).cursor() as cr_second,
        ):
            first = api.Environment(cr_first, SUPERUSER_ID, {})
            second = api.Environment(cr_second, SUPERUSER_ID, {})
            # The retried request has started (its snapshot is taken) ...
            second["css.case"].search_count([("external_ref", "=", REF)])
            # ... when the first one creates the case and commits.
            first_id = first["css.case"].create(self._vals()).id
            cr_first.commit()

            attempts = []

            def create():
                attempts.append(len(attempts) + 1)
                return second["css.case"].create(self._vals()).id

            # The first attempt meets the unique index (the failed INSERT is
            # logged by the cursor); the request is then run again.
            with mute_logger("odoo.sql_db", "odoo.service.model"):
                second_id = retrying(create, second)
        self.assertEqual(second_id, first_id)
        self.assertEqual(attempts, [1, 2])
        self.assertEqual(self._count(), 1)

    def test_conflict_is_a_serialisation_failure_and_the_transaction_goes_on(
        self,
    ):
        with (
            db_connect(self.dbname).cursor() as cr_first,
            db_connect(self.dbname).cursor() as cr_second,
        ):
            first = api.Environment(cr_first, SUPERUSER_ID, {})
            second = api.Environment(cr_second, SUPERUSER_ID, {})
            second["css.case"].search_count([])
            first["css.case"].create(self._vals())
            cr_first.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(ExternalRefConflict):
                second["css.case"].create(self._vals())
            # The savepoint was rolled back: the transaction goes on.
            self.assertEqual(
                second["res.partner"].browse(self.customer_id).name,
                "Concurrent customer",
            )
            cr_second.rollback()
        self.assertEqual(self._count(), 1)
