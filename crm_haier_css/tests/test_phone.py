# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.crm_haier_css.tools.phone import normalize_phone

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestPhoneNormaliser(TransactionCase):
    def test_formats_of_one_number_normalise_alike(self):
        expected = "+865328893888"
        for written in (
            "+86 532 8893 888",
            "+86 (0)532-8893-888",
            "0086 532 8893 888",
            "(0532) 8893 888",
            "0532.8893.888",
            "+86-532-8893888 ext. 12",
        ):
            with self.subTest(written=written):
                self.assertEqual(normalize_phone(written, "86"), expected)

    def test_unknown_country_keeps_national_digits(self):
        self.assertEqual(normalize_phone("0532 8893 888"), "5328893888")
        self.assertEqual(normalize_phone("+1 (555) 010-9999"), "+15550109999")

    def test_garbage_gives_nothing(self):
        for value in (False, None, "", "   ", "n/a", "+", "000"):
            with self.subTest(value=value):
                self.assertFalse(normalize_phone(value, "86"))


@tagged("post_install", "-at_install")
class TestCallerLookup(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_stored_number_is_normalised(self):
        self.assertEqual(self.customer.css_phone_normalized, "+8653284712058")
        self.assertEqual(self.customer.css_mobile_normalized, "+8613720465813")
        self.customer.phone = "(0532) 1234-5678"
        self.assertEqual(self.customer.css_phone_normalized, "+8653212345678")

    def test_lookup_in_any_format(self):
        Partner = self.env["res.partner"].with_user(self.agent)
        for number in (
            "053284712058",
            "+86 532 8471 2058",
            "0086-532-8471-2058",
            "+86 137 2046 5813",
            "13720465813",
        ):
            with self.subTest(number=number):
                self.assertEqual(Partner._css_search_by_phone(number), self.customer)
        self.assertFalse(Partner._css_search_by_phone("not a number"))
        self.assertFalse(Partner._css_search_by_phone("+44 20 7946 0000"))

    def test_duplicate_customer_warning_before_saving(self):
        form = Form(self.env["res.partner"].with_user(self.agent))
        form.name = "Wei Zhang"
        self.assertFalse(form.css_duplicate_ids)
        form.phone = "0532-8471-2058"
        self.assertIn(self.customer, form.css_duplicate_ids)
        form.phone = False
        form.email = "ZHANG.WEI@example.com"
        self.assertIn(self.customer, form.css_duplicate_ids)
        form.email = False
        form.name = "zhang wei"
        self.assertIn(self.customer, form.css_duplicate_ids)

    def test_intake_screen_finds_caller_and_shows_card(self):
        case = self._new_case()
        intake = (
            self.env["css.phone.intake"]
            .with_user(self.agent)
            .create({"phone": "0532 8471 2058"})
        )
        self.assertEqual(intake.partner_id, self.customer)
        self.assertIn(self.asset, intake.asset_ids)
        self.assertIn(case, intake.open_case_ids)
        self.assertNotIn(self.other_asset, intake.asset_ids)
        self.assertFalse(intake.show_receivables and "aging.report" not in self.env)

    def test_card_shows_open_receivables_when_aging_is_installed(self):
        intake = (
            self.env["css.phone.intake"]
            .with_user(self.agent)
            .create({"phone": "+86 532 8471 2058"})
        )
        if "aging.report" not in self.env:
            self.assertFalse(intake.show_receivables)
            self.skipTest("crm_receivables_aging is not installed")
        if not self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        ):
            self.skipTest("no chart of accounts in this database")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-09-01",
                "invoice_date_due": "2026-09-30",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Repair",
                            "quantity": 1,
                            "price_unit": 300.0,
                            "tax_ids": [],
                        },
                    )
                ],
            }
        )
        invoice.action_post()
        intake = (
            self.env["css.phone.intake"]
            .with_user(self.agent)
            .create({"phone": "+86 532 8471 2058"})
        )
        self.assertTrue(intake.show_receivables)
        self.assertEqual(intake.receivable_amount, 300.0)
        self.assertEqual(intake.overdue_amount, 300.0)
        # A credit note not applied yet: the card nets it off the overdue
        # amount, as the aging report and the credit hold do.
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": "2026-10-01",
                "invoice_line_ids": [
                    (0, 0, {"name": "Goodwill", "quantity": 1, "price_unit": 120.0})
                ],
            }
        )
        credit_note.invoice_line_ids.tax_ids = False
        credit_note.action_post()
        intake.invalidate_recordset()
        self.assertEqual(intake.receivable_amount, 180.0)
        self.assertEqual(intake.overdue_amount, 180.0)
