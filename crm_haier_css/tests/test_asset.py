# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestInstalledBase(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_warranty_follows_purchase_date(self):
        self.assertEqual(self.asset.warranty_end, date(2028, 1, 15))
        with freeze_time("2027-06-01"):
            self.assertTrue(self.asset.under_warranty)
            self.assertIn(
                self.asset,
                self.env["css.asset"].search([("under_warranty", "=", True)]),
            )
        with freeze_time("2028-01-16"):
            self.asset.invalidate_recordset(["under_warranty"])
            self.assertFalse(self.asset.under_warranty)

    def test_serial_unique_per_product(self):
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self.env["css.asset"].create(
                {
                    "partner_id": self.other_customer.id,
                    "product_id": self.product.id,
                    "serial": " hw80-0001 ",
                }
            )
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self.other_asset.serial = "HW80-0001"
        self.assertEqual(self.other_asset.serial, "HW80-0002")
        with self.assertRaisesRegex(ValidationError, "serial number"):
            self.env["css.asset"].create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "serial": "   ",
                }
            )
        other_product = self.env["product.product"].create({"name": "Haier Dryer"})
        same_serial = self.env["css.asset"].create(
            {
                "partner_id": self.other_customer.id,
                "product_id": other_product.id,
                "serial": "HW80-0001",
            }
        )
        self.assertEqual(same_serial.warranty_end, False)

    def test_contract_covers_listed_or_all_products(self):
        contract = self.env["css.contract"].create(
            {
                "partner_id": self.customer.id,
                "covers_all_assets": True,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        self.assertTrue(contract.name.startswith("SC"))
        case = self._new_case(asset_id=self.asset.id)
        self.assertFalse(case.contract_id, "a draft contract covers nothing")
        contract.action_start()
        case = self._new_case(asset_id=self.asset.id, case_type="maintenance")
        self.assertEqual(case.contract_id, contract)
        visit = self.env["css.service.order"].create({"case_id": case.id})
        self.assertEqual(contract.visits_used, 0, "a proposed visit is not used yet")
        visit.sudo().state = "scheduled"
        contract.invalidate_recordset(["visits_used"])
        self.assertEqual(contract.visits_used, 1)
        with freeze_time("2027-01-02"):
            contract._cron_expire()
        self.assertEqual(contract.state, "expired")
        with self.assertRaises(ValidationError):
            contract.date_end = "2025-01-01"
