# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import zipfile
from datetime import timedelta

import openpyxl

from odoo.tests import HttpCase, tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestExport(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(
            cls.customer_big, TODAY - timedelta(days=10), [(cls.product_fridge, 3)]
        )
        cls._order(
            cls.customer_small, TODAY - timedelta(days=10), [(cls.product_filter, 2)]
        )
        cls.Score._compute_scores(cls.company, today=TODAY)
        cls.env["crm.segment"]._assign_partners()

    def _export(self, analysis, user=None):
        wizard = (
            self.env["crm.analytics.export"]
            .with_user(user or self.env.user)
            .create({"analysis": analysis})
        )
        action = wizard.action_export()
        self.assertIn("/web/content/crm.analytics.export/", action["url"])
        return base64.b64decode(wizard.file_data)

    def test_segment_export_totals_match_and_chart_is_native(self):
        data = self._export("segments", self.analyst)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        exported_total = sum(row[2] for row in rows if row[0])
        total = sum(self.Score.search([]).mapped("revenue_12m"))
        self.assertAlmostEqual(exported_total, total, places=2)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.assertTrue(
                any(name.startswith("xl/charts/chart") for name in archive.namelist())
            )

    def test_every_analysis_exports(self):
        for analysis in dict(
            self.env["crm.analytics.export"]._fields["analysis"].selection
        ):
            with self.subTest(analysis=analysis):
                self.assertTrue(self._export(analysis).startswith(b"PK"))


@tagged("post_install", "-at_install")
class TestExportReadonlyRoute(AnalyticsCommon, HttpCase):
    """The export route is read-only, so that Odoo may serve it from a replica
    (``--db_replica_host``): it must then write nothing."""

    def test_every_analysis_downloads_on_a_readonly_cursor(self):
        self.analyst.password = "analyst-pw"
        self.authenticate("analyst", "analyst-pw")
        for analysis in dict(
            self.env["crm.analytics.export"]._fields["analysis"].selection
        ):
            with (
                self.subTest(analysis=analysis),
                # A write on the read-only cursor would be retried on a
                # read/write one with a warning: none here.
                self.assertNoLogs("odoo.http", "WARNING"),
            ):
                response = self.url_open(f"/crm_analytics/export/{analysis}.xlsx")
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.content.startswith(b"PK"))

    def test_unknown_analysis(self):
        self.analyst.password = "analyst-pw"
        self.authenticate("analyst", "analyst-pw")
        response = self.url_open("/crm_analytics/export/passwords.xlsx")
        self.assertEqual(response.status_code, 404)
