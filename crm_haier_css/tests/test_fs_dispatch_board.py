# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import FieldServiceCommon

# Reading the list, the kanban and the calendar of the dispatch board, as the
# web client does, whatever the number of visits shown.
BOARD_QUERIES = 15
BOARD_VIEWS = ("list", "kanban", "calendar")


@tagged("post_install", "-at_install")
class TestDispatchBoard(FieldServiceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()
        cls.specifications = {
            view_type: cls._specification(view_type) for view_type in BOARD_VIEWS
        }

    @classmethod
    def _specification(cls, view_type):
        """The fields the web client reads for a view: its own fields, the
        display name of the records they link to."""
        Visit = cls.env["css.service.order"]
        arch = etree.fromstring(Visit.get_view(view_type=view_type)["arch"])
        spec = {}
        for node in arch.iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            field = Visit._fields[node.get("name")]
            spec[field.name] = (
                {"fields": {"display_name": {}}} if field.relational else {}
            )
        return spec

    def _add_visits(self, count, day):
        """``count`` scheduled visits of other cases and customers from ``day`` on."""
        customers = self.customer | self.other_customer
        technicians = self.tech_a | self.tech_b
        for index in range(count):
            start = day + timedelta(days=index // 8, hours=9 + 2 * (index // 2 % 4))
            visit = self._visit(
                case=self._new_case(partner_id=customers[index % 2].id),
                technician=technicians[index % 2],
                start=start,
            )
            visit.action_schedule()

    def _read_board(self):
        Visit = self.env["css.service.order"].with_user(self.dispatcher)
        start = self.env.cr.sql_log_count
        for view_type in BOARD_VIEWS:
            result = Visit.web_search_read([], self.specifications[view_type], limit=80)
        self.assertTrue(result["records"])
        return self.env.cr.sql_log_count - start, result["length"]

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_board_query_count_does_not_grow_with_visits(self):
        self.assertIn("technician_id", self.specifications["calendar"])
        self.assertIn("amount_charged", self.specifications["list"])
        self._add_visits(3, datetime(2026, 11, 23))
        self._read_board()  # warm the caches: views, access rules
        self.env.invalidate_all()
        with self.assertQueryCount(BOARD_QUERIES):
            few_queries, few = self._read_board()
        self._add_visits(9, datetime(2026, 11, 30))
        self.env.invalidate_all()
        with self.assertQueryCount(BOARD_QUERIES):
            many_queries, many = self._read_board()
        self.assertEqual(many - few, 9, "the demo visits are there too")
        self.assertEqual(few_queries, many_queries)
        self.assertEqual(many_queries, BOARD_QUERIES)
