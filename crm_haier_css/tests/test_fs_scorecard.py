# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestScorecard(FieldServiceCommon, TransactionCase):
    """Scorecard figures on a small known data set (November 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()
        env = cls.env
        cls.env["css.service.order"].search([]).sudo().write({"state": "cancelled"})
        cls.tech_c = new_test_user(
            env,
            login="css_tech_c",
            groups="crm_haier_css.group_css_technician",
            name="Tech C",
        )
        cls.weak = env["css.service.center"].create(
            {
                "name": "Weak outlet (test)",
                "technician_ids": [Command.set(cls.tech_c.ids)],
                "resource_calendar_id": cls.calendar_office.id,
            }
        )
        cls.resolved = env.ref("crm_haier_css.css_stage_resolved")

        def asset(serial):
            return env["css.asset"].create(
                {
                    "partner_id": cls.customer.id,
                    "product_id": cls.product.id,
                    "serial": serial,
                    "purchase_date": "2022-01-10",
                }
            )

        def done(asset, outlet, technician, day, pump=False):
            case = cls._new_case(
                asset_id=asset.id, reported_date=f"2026-11-{day:02d} 07:00:00"
            )
            visit = cls._visit(
                case=case,
                technician=technician,
                service_center_id=outlet.id,
                start=f"2026-11-{day:02d} 09:00:00",
            )
            if pump:
                visit.line_ids = [Command.create({"product_id": cls.pump.id})]
            visit.sudo().write(
                {"state": "done", "date_done": f"2026-11-{day:02d} 11:00:00"}
            )
            case.sudo().write({"stage_id": cls.resolved.id})
            return visit

        x, y, z = asset("SC-X"), asset("SC-Y"), asset("SC-Z")
        cls.v1 = done(x, cls.outlet, cls.tech_a, 2, pump=True)
        cls.v2 = done(y, cls.outlet, cls.tech_b, 3)
        cls.v3 = done(z, cls.weak, cls.tech_c, 4)
        cls.v4 = done(z, cls.weak, cls.tech_c, 10)
        cls.sla_ok = {
            visit: visit.case_id.sla_status != "breached"
            for visit in (cls.v1, cls.v2, cls.v3, cls.v4)
        }

    def _rows(self, **domain):
        return self.env["css.outlet.scorecard"].search(
            [("month", "=", date(2026, 11, 1))]
            + [(name, "=", value.id) for name, value in domain.items()]
        )

    def test_figures_per_outlet_technician_and_month(self):
        self.assertTrue(self.v1.first_time_fix)
        self.assertFalse(
            self.v3.first_time_fix, "a new case on the product 6 days later"
        )
        row_a = self._rows(technician_id=self.tech_a)
        self.assertEqual(row_a.visit_count, 1)
        self.assertEqual(row_a.ftf_count, 1)
        self.assertEqual(row_a.ftf_rate, 100.0)
        self.assertAlmostEqual(row_a.parts_cost, 60.0)
        self.assertAlmostEqual(row_a.charged_revenue, 90.0)
        self.assertEqual(row_a.sla_ok_count, int(self.sla_ok[self.v1]))
        row_c = self._rows(technician_id=self.tech_c)
        self.assertEqual(row_c.visit_count, 2)
        self.assertEqual(row_c.ftf_count, 1)
        self.assertEqual(row_c.repeat_count, 1, "the first visit on Z was repeated")
        self.assertEqual(row_c.ftf_rate, 50.0)
        # The weak outlet ranks second in the company, and comes first in
        # the ranking list (worst first).
        self.assertEqual(row_c.rank, 2)
        self.assertEqual(row_a.rank, 1)
        self.assertEqual(self._rows()[0].service_center_id, self.weak)
        self.assertLess(row_c.outlet_score, row_a.outlet_score)

    def test_month_reads_as_a_month(self):
        """The ranking names its month as the month group of the web client
        does, not as the month's first day."""
        Scorecard = self.env["css.outlet.scorecard"].with_user(self.dispatcher)
        page = Scorecard.web_search_read(
            [("month", "=", date(2026, 11, 1))], {"month_name": {}}, limit=1
        )
        self.assertEqual(page["records"][0]["month_name"], "November 2026")
        [group] = Scorecard.web_read_group(
            [("month", "=", date(2026, 11, 1))], ["visit_count"], ["month:month"]
        )["groups"]
        self.assertEqual(group["month:month"], "November 2026")

    def test_grouped_rates_are_ratios_of_sums(self):
        groups = self.env["css.outlet.scorecard"]._read_group(
            [("month", "=", date(2026, 11, 1))],
            ["service_center_id"],
            ["visit_count:sum", "ftf_rate:avg", "repeat_rate:avg"],
        )
        figures = {
            outlet: (count, ftf, repeat) for outlet, count, ftf, repeat in groups
        }
        self.assertEqual(figures[self.outlet], (2, 100.0, 0.0))
        self.assertEqual(figures[self.weak], (2, 50.0, 50.0))
        [(count, ftf)] = self.env["css.outlet.scorecard"]._read_group(
            [("month", "=", date(2026, 11, 1))], [], ["visit_count:sum", "ftf_rate:avg"]
        )
        self.assertEqual((count, ftf), (4, 75.0))

    def test_who_reads_which_rows_and_xlsx(self):
        Scorecard = self.env["css.outlet.scorecard"]
        self.assertEqual(
            Scorecard.with_user(self.tech_a).search([]).technician_id, self.tech_a
        )
        self.assertEqual(
            Scorecard.with_user(self.outlet_manager).search([]).service_center_id,
            self.outlet,
        )
        self.assertEqual(len(Scorecard.with_user(self.dispatcher).search([])), 3)
        content = Scorecard.with_user(self.outlet_manager)._xlsx_content([])
        self.assertTrue(content.startswith(b"PK"), "an XLSX (zip) file")
        action = Scorecard.search([], limit=1).action_export_xlsx()
        self.assertIn("/css/scorecard/xlsx?ids=", action["url"])
