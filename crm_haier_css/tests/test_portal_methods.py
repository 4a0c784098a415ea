# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal's business rules live in the models: called as the portal user,
they refuse bad input field by field and write nothing."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..tools.portal_input import PortalInputError
from .common import CssCommon


@tagged("post_install", "-at_install")
class TestPortalMethods(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        cls.Case = cls.env["css.case"].with_user(cls.portal_user)
        cls.own_case = cls._new_case(asset_id=cls.asset.id)
        cls.foreign_case = cls._new_case(
            partner_id=cls.other_customer.id, asset_id=cls.other_asset.id
        )

    def _upload(self, name="photo.jpg", mimetype="image/jpeg", size=10):
        return {"name": name, "mimetype": mimetype, "size": size, "data": lambda: b"x"}

    def test_request_reports_every_wrong_field_and_creates_nothing(self):
        before = self.env["css.case"].search_count([])
        with self.assertRaises(PortalInputError) as caught:
            self.Case._portal_create_request(
                {"asset_id": str(self.other_asset.id), "case_type": "complaint"}
            )
        self.assertEqual(
            set(caught.exception.field_errors), {"asset_id", "description", "case_type"}
        )
        for uploads, expected in (
            ([self._upload()] * 6, "at most 5"),
            ([self._upload(mimetype="application/x-msdownload")], "photos or PDF"),
            ([self._upload(size=6 * 1024 * 1024)], "larger than 5 MB"),
        ):
            with self.subTest(expected=expected):
                with self.assertRaises(PortalInputError) as caught:
                    self.Case._portal_create_request({"description": "Leaks"}, uploads)
                self.assertIn(expected, caught.exception.field_errors["attachments"])
        self.assertEqual(self.env["css.case"].search_count([]), before)

    def test_request_with_photos_creates_the_case_and_one_message(self):
        case = self.Case._portal_create_request(
            {"description": "Leaks\nunder the door", "asset_id": str(self.asset.id)},
            [self._upload("a.jpg"), self._upload("b.pdf", "application/pdf")],
        )
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.subject, self.asset.display_name)
        self.assertIn("<br>", str(case.description))
        message = case.sudo().message_ids.filtered("attachment_ids")
        self.assertEqual(len(message), 1)
        self.assertEqual(
            sorted(message.attachment_ids.mapped("name")), ["a.jpg", "b.pdf"]
        )
        self.assertEqual(set(message.attachment_ids.mapped("res_id")), {case.id})
        self.assertEqual(set(message.attachment_ids.mapped("res_model")), {"css.case"})

    def test_visit_request_checks_the_case_and_the_day(self):
        case = self.own_case.with_user(self.portal_user)
        for day, slot, field in (
            ("2000-01-01", "morning", "appointment"),
            ("not a date", "morning", "appointment"),
            ("2099-01-01", "midnight", "appointment"),
        ):
            with self.subTest(day=day, slot=slot):
                with self.assertRaises(PortalInputError) as caught:
                    case._portal_request_visit(day, slot)
                self.assertIn(field, caught.exception.field_errors)
        self.assertFalse(self.own_case.appointment_date)
        with self.assertRaises(AccessError):
            self.foreign_case.with_user(self.portal_user)._portal_request_visit(
                "2099-01-01", "morning"
            )
        self.assertFalse(self.foreign_case.appointment_date)
        case._portal_request_visit("2099-01-01", "afternoon")
        self.assertEqual(str(self.own_case.appointment_date), "2099-01-01")

    def test_rating_once_from_one_to_five(self):
        case = self.own_case.with_user(self.portal_user)
        with self.assertRaises(PortalInputError):
            case._portal_rate(5)  # not resolved yet
        self.own_case.write({"fault_code_id": self.fault.id})
        self.own_case.action_resolve()
        for rate in ("0", "6", "many"):
            with self.subTest(rate=rate), self.assertRaises(PortalInputError):
                case._portal_rate(rate)
        case._portal_rate("4", "Quick")
        self.assertEqual(self.own_case.rating_last_value, 4)
        with self.assertRaises(PortalInputError):
            case._portal_rate("5")
        self.assertEqual(self.own_case.rating_last_value, 4)
        with self.assertRaises(AccessError):
            self.foreign_case.with_user(self.portal_user)._portal_rate("1")

    def test_product_registration_field_by_field(self):
        Asset = self.env["css.asset"].with_user(self.portal_user)
        before = self.env["css.asset"].search_count([])
        for form, field in (
            ({"product_id": str(self.private_product.id), "serial": "X"}, "product_id"),
            ({"product_id": str(self.product.id), "serial": " "}, "serial"),
            ({"product_id": str(self.product.id), "serial": "hw80-0002"}, "serial"),
            (
                {
                    "product_id": str(self.product.id),
                    "serial": "N-1",
                    "purchase_date": "2999-01-01",
                },
                "purchase_date",
            ),
            (
                {"product_id": "x", "serial": "N-1", "purchase_date": "31/31/2026"},
                "purchase_date",
            ),
        ):
            with self.subTest(form=form):
                with self.assertRaises(PortalInputError) as caught:
                    Asset._portal_register(form)
                self.assertIn(field, caught.exception.field_errors)
        self.assertEqual(self.env["css.asset"].search_count([]), before)
        asset = Asset._portal_register(
            {"product_id": str(self.product.id), "serial": " N-1 "}
        )
        self.assertEqual(asset.serial, "N-1")
        self.assertEqual(asset.partner_id, self.customer)
