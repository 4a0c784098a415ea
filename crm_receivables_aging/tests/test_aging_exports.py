# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
import zipfile
from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AS_OF, AgingCommon


def xlsx_cells(content):
    """Cell values of the first sheet of an XLSX file, by cell reference."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        strings = re.findall(
            r"<t[^>]*>([^<]*)</t>", archive.read("xl/sharedStrings.xml").decode()
        )
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    cells = {}
    for ref, attributes, value in re.findall(
        r'<c r="([A-Z]+\d+)"([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v>', sheet
    ):
        shared = ' t="s"' in attributes
        cells[ref] = strings[int(value)] if shared else float(value)
    return cells


@tagged("post_install", "-at_install")
class TestAgingExports(AgingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.customer, AS_OF - timedelta(days=10), 1000.0)
        cls._invoice(cls.customer, AS_OF - timedelta(days=200), 250.0)
        cls._invoice(cls.other_customer, AS_OF, 75.0)
        cls.report = cls.env["aging.report"].create(
            {
                "as_of_date": AS_OF,
                "partner_ids": [(6, 0, (cls.customer + cls.other_customer).ids)],
            }
        )

    def test_xlsx_totals_equal_the_report(self):
        action = self.report.action_export_xlsx()
        self.assertIn("/web/content/aging.report/", action["url"])
        cells = xlsx_cells(base64.b64decode(self.report.xlsx_file))
        rows = self.report.compute_aging(
            as_of_date=AS_OF, partner_ids=self.report.partner_ids.ids
        )
        self.assertEqual(cells["A4"], "CoolHome Appliances")
        self.assertEqual(cells["C4"], 1250.0)
        self.assertEqual(cells["A5"], "Fresco Kitchens")
        self.assertEqual(cells["C6"], sum(row["total"] for row in rows))
        self.assertEqual(cells["A6"], "Total")
        # One column per bucket after total, due today, due this week, as in
        # the PDF: "Not due" is the first bucket, not a column of its own.
        bucket_columns = "FGHIJK"
        for bucket, column in zip(self.buckets, bucket_columns, strict=True):
            self.assertEqual(cells[f"{column}3"], bucket.name)
            self.assertEqual(
                cells[f"{column}6"],
                sum(row["buckets"][bucket.id] for row in rows),
            )
        self.assertEqual(cells["G4"], 1000.0)  # 1-30
        self.assertEqual(cells["K4"], 250.0)  # over 180
        self.assertEqual(cells["L3"], "Unapplied credits")
        self.assertEqual(cells["M3"], "Max days overdue")

    def test_pdf_lists_every_customer(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "crm_receivables_aging.action_report_aging", self.report.ids
            )[0]
            .decode()
        )
        self.assertIn("CoolHome Appliances", html)
        self.assertIn("Fresco Kitchens", html)
        self.assertIn("Over 180", html)

    def test_customer_statement(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "crm_receivables_aging.action_report_customer_statement",
                self.customer.ids,
            )[0]
            .decode()
        )
        invoices = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id)]
        )
        for invoice in invoices:
            self.assertIn(invoice.name, html)
        other = self.env["account.move"].search(
            [("partner_id", "=", self.other_customer.id)]
        )
        self.assertNotIn(other.name, html)


@tagged("post_install", "-at_install")
class TestAgingReadonlyRoutes(AgingCommon, HttpCase):
    """The heavy reads are marked read-only, so that Odoo may serve them from a
    replica (``--db_replica_host``): they must then write nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.customer, AS_OF - timedelta(days=10), 1000.0)
        cls._invoice(cls.other_customer, AS_OF, 75.0)
        cls.collector = new_test_user(
            cls.env,
            login="ro_collector",
            groups="crm_receivables_aging.group_aging_collector,"
            "account.group_account_invoice",
            company_id=cls.company.id,
        )

    def test_compute_aging_is_readonly_over_rpc(self):
        compute = type(self.env["aging.report"]).compute_aging
        self.assertTrue(getattr(compute, "_readonly", False))

    def test_xlsx_route_on_a_readonly_cursor(self):
        self.authenticate("ro_collector", "ro_collector")
        partners = f"{self.customer.id},{self.other_customer.id}"
        # A write on the read-only cursor would be retried on a read/write one
        # with a warning: none here.
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(
                f"/aging/report/xlsx?as_of_date={AS_OF}&partner_ids={partners}"
            )
        self.assertEqual(response.status_code, 200)
        cells = xlsx_cells(response.content)
        self.assertEqual(cells["A4"], "CoolHome Appliances")
        self.assertEqual(cells["C4"], 1000.0)
        self.assertEqual(cells["A5"], "Fresco Kitchens")

    def test_xlsx_route_refuses_other_companies(self):
        other = self.env["res.company"].create({"name": "Not the collector's"})
        self.authenticate("ro_collector", "ro_collector")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/aging/report/xlsx?company_ids={other.id}")
        self.assertEqual(response.status_code, 403)
