# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Distributor files: good rows in once, bad rows reported, nothing half-done."""

import base64
import csv
import io
from unittest.mock import patch

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CssCommon

CASE_HEADER = "external_ref,customer,phone,product,serial,case_type,description"
ASSET_HEADER = "external_ref,customer,phone,product,serial,purchase_date"


class ExchangeCommon(CssCommon):
    @classmethod
    def _setup_exchange_data(cls):
        cls._setup_css_data()
        env = cls.env
        cls.product.default_code = "HW80"
        cls.other_categ = env["product.category"].create({"name": "Chillers (test)"})
        cls.chiller = env["product.product"].create(
            {
                "name": "Chiller (test)",
                "default_code": "CH-1",
                "categ_id": cls.other_categ.id,
            }
        )
        cls.distributor = env["res.partner"].create(
            {
                "name": "Jiaozhou Appliances (test)",
                "is_company": True,
                "is_distributor": True,
                "product_category_ids": [Command.set(cls.categ.ids)],
            }
        )
        cls.other_distributor = env["res.partner"].create(
            {
                "name": "Yantai Electric (test)",
                "is_company": True,
                "is_distributor": True,
            }
        )

        def distributor_user(login, distributor):
            contact = env["res.partner"].create(
                {"name": f"{login} contact", "parent_id": distributor.id}
            )
            return cls._css_user(
                login, "crm_haier_css.group_css_distributor", partner_id=contact.id
            )

        cls.dist_user = distributor_user("css_xdist_a", cls.distributor)
        cls.other_dist_user = distributor_user("css_xdist_b", cls.other_distributor)

    def _wizard(self, content, kind="case", encoding="utf-8", user=None, **vals):
        data = content.encode(encoding) if isinstance(content, str) else content
        Wizard = self.env["css.exchange.import"].with_user(user or self.agent)
        return Wizard.create(
            {
                "distributor_id": self.distributor.id,
                "kind": kind,
                "file": base64.b64encode(data),
                "file_name": "cases.csv",
                **vals,
            }
        )

    @staticmethod
    def _report_rows(wizard):
        text = wizard.error_report_id.raw.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))[1:]


@tagged("post_install", "-at_install")
class TestExchangeImport(ExchangeCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange_data()
        # Zhang Wei (phone +86 532 8471 2058) owns HW80-0001.
        cls.mixed = "\n".join(
            [
                CASE_HEADER,
                "JZ-1,Zhang Wei,0532 8471 2058,HW80,HW80-0001,repair,Does not drain",
                "JZ-2,Qian Yu Test,138 0000 1111,HW80,,installation,New machine",
                "JZ-3,Qian Yu Test,138 0000 1111,NOPE,,repair,Unknown product",
                "JZ-4,Zhang Wei,0532 8471 2058,HW80,NO-SUCH-SERIAL,repair,Bad serial",
                "JZ-5,Zhang Wei,0532 8471 2058,CH-1,,repair,Not authorised",
                "JZ-6,Zhang Wei,0532 8471 2058,HW80,,teleport,Bad type",
                "JZ-1,Zhang Wei,0532 8471 2058,HW80,,repair,Same reference again",
                ",Nobody,0532 8471 2058,HW80,,repair,No reference",
                "JZ-7,,139 9999 9999,HW80,,repair,Unknown customer without name",
            ]
        )

    def _cases(self, distributor=None):
        return self.env["css.case"].search(
            [("distributor_id", "=", (distributor or self.distributor).id)]
        )

    def test_mixed_file_imports_the_good_rows_and_reports_the_bad_ones(self):
        wizard = self._wizard(self.mixed)
        wizard.action_import()
        self.assertEqual(
            (wizard.imported_count, wizard.updated_count, wizard.error_count), (2, 0, 7)
        )
        cases = self._cases()
        self.assertEqual(sorted(cases.mapped("external_ref")), ["JZ-1", "JZ-2"])
        jz1 = cases.filtered(lambda case: case.external_ref == "JZ-1")
        self.assertEqual(jz1.partner_id, self.customer)
        self.assertEqual(jz1.asset_id, self.asset)
        self.assertEqual(jz1.channel, "distributor")
        jz2 = cases - jz1
        self.assertEqual(
            jz2.partner_id.name, "Qian Yu Test", "a new customer is created"
        )
        self.assertEqual(jz2.case_type, "installation")
        report = {
            int(line): (ref, reason) for line, ref, reason in self._report_rows(wizard)
        }
        self.assertEqual(sorted(report), [4, 5, 6, 7, 8, 9, 10])
        self.assertIn("Unknown product reference NOPE", report[4][1])
        self.assertIn("Unknown serial number NO-SUCH-SERIAL", report[5][1])
        self.assertIn("outside the categories", report[6][1])
        self.assertIn("Unknown case type teleport", report[7][1])
        self.assertIn("already on line 2", report[8][1])
        self.assertIn("external reference is empty", report[9][1])
        self.assertIn("Unknown customer", report[10][1])
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Qian Yu Test")]), 1
        )

    def test_reimport_creates_nothing_twice_and_says_so(self):
        self._wizard(self.mixed).action_import()
        cases = self._cases()
        partners = self.env["res.partner"].search_count([])
        again = self._wizard(self.mixed)
        again.action_import()
        self.assertEqual(
            (again.imported_count, again.updated_count, again.error_count), (0, 2, 7)
        )
        self.assertEqual(self._cases(), cases)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        # A changed row updates its case.
        changed = self.mixed.replace("installation,New machine", "repair,Now broken")
        self._wizard(changed).action_import()
        jz2 = cases.filtered(lambda case: case.external_ref == "JZ-2")
        self.assertEqual(jz2.case_type, "repair")

    def test_gb18030_and_utf8_with_bom(self):
        content = "\n".join(
            [CASE_HEADER, "GB-1,王芳,0532 1111 2222,HW80,,repair,洗衣机不排水"]
        )
        wizard = self._wizard(content, encoding="gb18030")
        wizard.action_import()
        self.assertEqual(wizard.imported_count, 1)
        case = self._cases()
        self.assertEqual(case.partner_id.name, "王芳")
        self.assertIn("洗衣机不排水", case.description)
        bom = self._wizard(
            "\n".join([CASE_HEADER, "BOM-1,王芳,0532 1111 2222,HW80,,repair,噪音"]),
            encoding="utf-8-sig",
        )
        bom.action_import()
        self.assertEqual(bom.imported_count, 1)
        self.assertEqual(
            self._cases().filtered(lambda c: c.external_ref == "BOM-1").partner_id,
            case.partner_id,
            "same phone and name: the same customer",
        )

    def test_wrong_encoding_or_header_is_refused_before_any_row(self):
        rows = "\n".join([CASE_HEADER, "X-1,Zhang Wei,0532 8471 2058,HW80,,repair,Hi"])
        for content, message in (
            (rows.encode("utf-16"), "UTF-8 or GB18030"),
            (b"\xff\xfe\x00\x00garbage", "UTF-8 or GB18030"),
            (rows.replace("case_type", "kind"), "Missing: case_type. Unknown: kind"),
            ("", "empty"),
        ):
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._wizard(content).action_import()
        self.assertFalse(self._cases())

    def test_row_failing_in_its_own_writes_leaves_nothing(self):
        content = "\n".join(
            [
                CASE_HEADER,
                "OK-1,Zhou Min Test,139 1234 0001,HW80,,repair,Fine",
                "BAD-1,Sun Li Test,139 1234 0002,HW80,,repair,BOOM",
                "OK-2,Wu Gang,139 1234 0003,HW80,,repair,Fine too",
            ]
        )
        Case = type(self.env["css.case"])
        original = Case._css_create_once

        def create_once(records, vals_list, create):
            if any(vals.get("subject") == "BOOM" for vals in vals_list):
                raise ValidationError(records.env._("The case cannot be saved."))
            return original(records, vals_list, create)

        with patch.object(Case, "_css_create_once", create_once):
            wizard = self._wizard(content)
            wizard.action_import()
        self.assertEqual((wizard.imported_count, wizard.error_count), (2, 1))
        self.assertEqual(
            self._report_rows(wizard), [["3", "BAD-1", "The case cannot be saved."]]
        )
        # The customer created for the bad row went with it.
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Sun Li Test")]))
        self.assertTrue(
            self.env["res.partner"].search([("name", "=", "Zhou Min Test")])
        )

    def test_installed_base_import_and_export_round_trip(self):
        content = "\n".join(
            [
                ASSET_HEADER,
                "S-1,Zhang Wei,0532 8471 2058,HW80,HW80-9001,2026-03-01",
                "S-2,Zhang Wei,0532 8471 2058,HW80,HW80-9002,2026/13/01",
                "S-3,Zhang Wei,0532 8471 2058,HW80,HW80-0002,2026-03-01",
                "S-4,Zhang Wei,0532 8471 2058,HW80,HW80-9004,2999-01-01",
            ]
        )
        wizard = self._wizard(content, kind="asset")
        wizard.action_import()
        self.assertEqual((wizard.imported_count, wizard.error_count), (1, 3))
        reasons = [reason for _line, _ref, reason in self._report_rows(wizard)]
        self.assertIn("Bad purchase date 2026/13/01", reasons[0])
        self.assertIn("already registered", reasons[1])
        self.assertIn("Bad purchase date 2999-01-01", reasons[2])
        asset = self.env["css.asset"].search([("external_ref", "=", "S-1")])
        self.assertEqual(asset.distributor_id, self.distributor)
        self.assertEqual(str(asset.purchase_date), "2026-03-01")
        export = self._wizard(b"", kind="asset")
        export.action_export()
        exported = export.export_file_id.raw.decode("utf-8-sig")
        self.assertEqual(exported.splitlines()[0], ASSET_HEADER)
        self.assertIn(
            "S-1,Zhang Wei,+86 532 8471 2058,HW80,HW80-9001,2026-03-01", exported
        )
        again = self._wizard(exported, kind="asset")
        again.action_import()
        self.assertEqual((again.imported_count, again.updated_count), (0, 1))

    def test_case_export_has_the_import_columns(self):
        self._wizard(self.mixed).action_import()
        export = self._wizard(b"")
        export.action_export()
        text = export.export_file_id.raw.decode("utf-8-sig")
        self.assertEqual(text.splitlines()[0], CASE_HEADER)
        again = self._wizard(text)
        again.action_import()
        self.assertEqual(
            (again.imported_count, again.updated_count, again.error_count), (0, 2, 0)
        )

    def test_only_agents_and_the_distributors_own_users_exchange_files(self):
        with self.assertRaises(AccessError):
            self._wizard(self.mixed, user=self.employee)
        # The portal runs the wizard as superuser for the user (see the
        # distributor portal): the wizard checks the user's distributor.
        wizard = self._wizard(self.mixed)
        with self.assertRaises(AccessError):
            wizard.with_user(self.other_dist_user).sudo().action_import()
        wizard.with_user(self.dist_user).sudo().action_import()
        self.assertEqual(wizard.imported_count, 2)

    def test_lookups_are_read_per_batch_not_per_row(self):
        def content(count):
            return "\n".join(
                [CASE_HEADER]
                + [
                    f"Q-{count}-{n}-{id(self)},Zhang Wei,0532 8471 2058,NOPE,,repair,x"
                    for n in range(count)
                ]
            )

        def queries(count):
            wizard = self._wizard(content(count))
            before = self.env.cr.sql_log_count
            wizard.action_import()
            self.assertEqual(wizard.error_count, count)
            return self.env.cr.sql_log_count - before

        queries(5)  # the first import reads the groups, the sequence, ...
        self.assertEqual(queries(5), queries(50))


@tagged("post_install", "-at_install")
class TestExchangePortal(ExchangeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange_data()

    def _upload(self, content, kind="case"):
        return self.url_open(
            "/my/distributor/exchange",
            data={"csrf_token": http.Request.csrf_token(self), "kind": kind},
            files={"file": ("cases.csv", content.encode("utf-8"), "text/csv")},
        )

    def test_distributor_imports_on_the_portal_and_downloads_the_report(self):
        self.authenticate("css_xdist_a", "css_xdist_a")
        response = self._upload(
            "\n".join(
                [
                    CASE_HEADER,
                    "P-1,Zhang Wei,0532 8471 2058,HW80,,repair,Leaks",
                    "P-2,Zhang Wei,0532 8471 2058,NOPE,,repair,Bad",
                ]
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="css_exchange_result"', response.text)
        case = self.env["css.case"].search([("external_ref", "=", "P-1")])
        self.assertEqual(case.distributor_id, self.distributor)
        wizard = self.env["css.exchange.import"].search([], order="id desc", limit=1)
        report = self.url_open(f"/my/distributor/exchange/{wizard.id}/errors")
        self.assertEqual(report.status_code, 200)
        self.assertIn(
            "Unknown product reference NOPE", report.content.decode("utf-8-sig")
        )
        export = self.url_open("/my/distributor/exchange/export?kind=case")
        self.assertIn("P-1,Zhang Wei", export.content.decode("utf-8-sig"))
        # Another distributor's user gets neither the report nor the cases.
        self.authenticate("css_xdist_b", "css_xdist_b")
        self.assertEqual(
            self.url_open(f"/my/distributor/exchange/{wizard.id}/errors").status_code,
            404,
        )
        export = self.url_open("/my/distributor/exchange/export?kind=case")
        self.assertNotIn("P-1", export.content.decode("utf-8-sig"))

    def test_wrong_header_is_refused_on_the_portal(self):
        self.authenticate("css_xdist_a", "css_xdist_a")
        response = self._upload("ref,name\nP-9,Zhang Wei")
        self.assertIn('id="css_exchange_error"', response.text)
        self.assertFalse(self.env["css.case"].search([("external_ref", "=", "P-9")]))
