# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
import zipfile
from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import AS_OF, AgingCommon
from .test_aging_exports import xlsx_cells


@tagged("post_install", "-at_install")
class TestAgingScreen(AgingCommon):
    """The aging as its users read it: on screen, in the PDF and the XLSX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # CoolHome's credit notes equal its invoices, one overdue and one not
        # due yet: its balance is nil, but there is work to do (apply them).
        cls._invoice(cls.customer, AS_OF + timedelta(days=10), 1000.0)
        cls._invoice(cls.customer, AS_OF - timedelta(days=40), 300.0)
        cls._invoice(
            cls.customer, AS_OF + timedelta(days=10), 1000.0, move_type="out_refund"
        )
        cls._invoice(
            cls.customer, AS_OF - timedelta(days=5), 300.0, move_type="out_refund"
        )
        # Fresco owes 500 at 31-60 days and has an unapplied credit of 200.
        cls._invoice(cls.other_customer, AS_OF - timedelta(days=45), 500.0)
        cls._invoice(
            cls.other_customer,
            AS_OF - timedelta(days=45),
            200.0,
            move_type="out_refund",
        )
        cls.collector = new_test_user(
            cls.env,
            login="screen_collector",
            groups="crm_receivables_aging.group_aging_collector,"
            "account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.partners = cls.customer + cls.other_customer

    def _report(self, user=None):
        return (
            self.env["aging.report"]
            .with_user(user or self.env.user)
            .create({"as_of_date": AS_OF, "partner_ids": [(6, 0, self.partners.ids)]})
        )

    def _pivot(self, user):
        """The cells of the aging screen as the web client reads them for the
        user: {customer: {column label: amount}}."""
        action = self._report(user).action_view_items()
        lines = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        row = action["context"]["pivot_row_groupby"][0]
        column = action["context"]["pivot_column_groupby"][0]
        field = lines.fields_get([column])[column]
        labels = dict(field.get("selection") or [])
        cells = {}
        for group in lines.read_group(
            action["domain"],
            ["amount_residual:sum"],
            [row, column],
            lazy=False,
        ):
            key = group[column]
            label = key[1] if isinstance(key, tuple) else labels.get(key, key)
            cells.setdefault(group[row][1], {})[label] = group["amount_residual"]
        return cells

    def test_no_row_of_zeros_on_screen(self):
        """Credits do not net inside a bucket: CoolHome, whose credit notes
        equal its invoices, shows what it owes and what it has in credit,
        not a row of 0.00; each row still adds up to the customer's balance."""
        cells = self._pivot(self.collector)
        for name, row in cells.items():
            with self.subTest(customer=name):
                self.assertTrue(any(row.values()), f"{name}: a row of zeros")
        self.assertEqual(
            cells["CoolHome Appliances"],
            {"Not due": 1000.0, "31-60": 300.0, "Unapplied credits": -1300.0},
        )
        self.assertEqual(
            cells["Fresco Kitchens"], {"31-60": 500.0, "Unapplied credits": -200.0}
        )
        balances = {
            partner.name: self._row(partner)["total"] for partner in self.partners
        }
        self.assertEqual(
            balances, {"CoolHome Appliances": 0.0, "Fresco Kitchens": 300.0}
        )
        for name, row in cells.items():
            self.assertAlmostEqual(sum(row.values()), balances[name])

    def test_collector_without_accounting_rights_opens_the_aging(self):
        """The Collector role alone opens the aging (View) and its open
        items: it raised an access error on journal items."""
        collector = new_test_user(
            self.env,
            login="screen_collector_only",
            groups="crm_receivables_aging.group_aging_collector",
            company_id=self.company.id,
        )
        cells = self._pivot(collector)
        self.assertEqual(cells["Fresco Kitchens"]["Unapplied credits"], -200.0)
        action = self._report(collector).action_view_items()
        # The date as the user writes it, not 2024-06-12.
        self.assertEqual(action["name"], "Aging as of 06/12/2024")
        items = (
            self.env["aging.report.line"].with_user(collector).search(action["domain"])
        )
        self.assertEqual(len(items), 6)
        self.assertTrue(all(items.mapped("move_id.display_name")))

    def test_screen_columns_in_bucket_order_credits_last(self):
        report = self._report(self.collector)
        report.action_view_items()
        lines = self.env["aging.report.line"].with_user(self.collector)
        selection = lines.fields_get(["age_column"])["age_column"]["selection"]
        self.assertEqual(
            [label for _value, label in selection],
            [*self.buckets.sorted("days_from").mapped("name"), "Unapplied credits"],
        )
        groups = lines.read_group(
            [("report_id", "=", report.id)], ["amount_residual:sum"], ["age_column"]
        )
        self.assertEqual(
            [group["age_column"] for group in groups],
            sorted(group["age_column"] for group in groups),
        )
        self.assertEqual(groups[-1]["age_column"], "credit")

    def test_pdf_labels_whole_and_totals_reconcile(self):
        report = self._report()
        self.assertEqual(
            self.env.ref(
                "crm_receivables_aging.action_report_aging"
            ).paperformat_id.orientation,
            "Landscape",
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_receivables_aging.action_report_aging", report.ids)[
                0
            ]
            .decode()
        )
        headers = re.findall(r'<th class="text-end text-nowrap">([^<]*)</th>', html)
        self.assertEqual(
            headers,
            [
                "Total",
                "Due today",
                "Due this week",
                *self.buckets.mapped("name"),
                "Unapplied credits",
                "Max days overdue",
            ],
        )
        # The total row: the balance of both customers, 300.00; the buckets
        # less the credits give it back.
        data = report._get_report_data()
        (total,) = data["totals"]
        self.assertEqual(total["total"], 300.0)
        self.assertAlmostEqual(
            sum(total["buckets"]) + total["unapplied_credits"], total["total"]
        )
        self.assertEqual(total["unapplied_credits"], -1500.0)
        self.assertIn(">Total<", html)

    def test_xlsx_columns_fit_their_labels(self):
        report = self._report()
        report.action_export_xlsx()
        content = base64.b64decode(report.xlsx_file)
        cells = xlsx_cells(content)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        widths = {}
        for first, last, width in re.findall(
            r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', sheet
        ):
            for col in range(int(first), int(last) + 1):
                widths[col] = float(width)
        header = {
            ref: value
            for ref, value in cells.items()
            if ref.endswith("3") and len(ref) == 2
        }
        self.assertEqual(len(set(header.values())), len(header), "a column twice")
        for ref, label in header.items():
            col = ord(ref[0]) - ord("A") + 1
            with self.subTest(label=label):
                self.assertGreaterEqual(widths.get(col, 8.43), len(label))
        self.assertIn("Unapplied credits", header.values())
        self.assertIn("Max days overdue", header.values())


@tagged("post_install", "-at_install")
class TestAgingDemoScreens(AgingCommon):
    def test_demo_reminders_sent_has_a_history(self):
        """Reminders Sent of the demo database lists the reminders sent at
        installation (it was empty: the demo sent them before the companies
        had a reminder policy)."""
        coolhome = self.env.ref(
            "crm_receivables_aging.demo_partner_coolhome", raise_if_not_found=False
        )
        if not coolhome:
            self.skipTest("without demo data")
        action = self.env.ref("crm_receivables_aging.action_aging_reminder_log")
        # The demo company's logs: this test runs in a company of its own.
        logs = (
            self.env[action.res_model]
            .sudo()
            .search([("company_id", "=", coolhome.env.ref("base.main_company").id)])
        )
        self.assertIn(coolhome, logs.partner_id)
