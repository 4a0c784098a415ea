# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo.tests import new_test_user, tagged

from .common import B2bHttpCase


@tagged("post_install", "-at_install")
class TestPortalSecurity(B2bHttpCase):
    """Odoo's own portal routes follow the B2B roles too (record rules)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = new_test_user(
            cls.env, login="b2bt_contact", groups="base.group_portal"
        )
        contact.partner_id.parent_id = cls.customer
        cls.archived = cls.extra_member(
            "archived", role_approver=True, approval_limit=1e6
        )
        cls.archived.active = False
        cls.roleless = cls.extra_member("roleless", role_requester=False)
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.requester.user_id)
            .b2b_portal_new_quote()
        )
        cls.order.b2b_portal_add_product(cls.desk.id, [], 1)
        cls.order = cls.order.sudo()
        cls.order.note = "<p>b2bt confidential terms</p>"
        cls.option = cls.env["sale.order.option"].create(
            {
                "order_id": cls.order.id,
                "product_id": cls.chair.product_variant_id.id,
                "name": "b2bt Optional chair",
                "price_unit": 45.0,
                "uom_id": cls.chair.uom_id.id,
            }
        )
        cls.order.with_user(cls.requester.user_id).action_b2b_submit()
        # Everyone the customer's chain does not show this pending quote to.
        cls.outsiders = [
            "contact",
            "archived",
            "roleless",
            "purchaser",
            "head",
            "stranger",
        ]

    def login(self, key):
        self.authenticate(f"b2bt_{key}", f"b2bt_{key}")

    def json(self, url, params):
        return self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )

    def test_sale_portal_page_and_pdf_follow_roles(self):
        url = f"/my/orders/{self.order.id}"
        for key, allowed in [
            ("requester", True),
            ("lead", True),
            ("admin", True),
            *((key, False) for key in self.outsiders),
        ]:
            with self.subTest(member=key):
                self.login(key)
                for suffix in ("", "?report_type=pdf", "?report_type=html"):
                    response = self.url_open(url + suffix, allow_redirects=False)
                    if allowed:
                        self.assertEqual(response.status_code, 200)
                    else:
                        self.assertIn(response.status_code, (302, 303))
                        self.assertTrue(response.headers["Location"].endswith("/my"))
                        self.assertNotIn("confidential terms", response.text)
                report = self.url_open(
                    f"/report/pdf/sale.report_saleorder/{self.order.id}",
                    allow_redirects=False,
                )
                if not allowed:
                    self.assertNotEqual(report.status_code, 200)
                    self.assertNotIn("confidential terms", report.text)

    def test_sale_portal_lists_follow_roles(self):
        self.order.with_user(self.lead.user_id).action_b2b_approve("ok")
        self.order.with_user(self.purchaser.user_id).action_b2b_place_order()
        for key, allowed in [
            ("requester", True),
            ("purchaser", True),
            ("admin", True),
            ("contact", False),
            ("archived", False),
            ("roleless", False),
            ("head", False),
        ]:
            with self.subTest(member=key):
                self.login(key)
                page = self.url_open("/my/orders")
                self.assertEqual(page.status_code, 200)
                self.assertEqual(self.order.name in page.text, allowed)
                counters = self.make_jsonrpc_request(
                    "/my/counters", {"counters": ["order_count"]}
                )
                self.assertEqual(counters["order_count"], int(allowed))

    def test_optional_products_routes_refused_to_outsiders(self):
        line = self.order.order_line
        for key in self.outsiders:
            with self.subTest(member=key):
                self.login(key)
                self.json(
                    f"/my/orders/{self.order.id}/update_line_dict",
                    {"line_id": line.id, "input_quantity": 50},
                )
                self.json(f"/my/orders/{self.order.id}/add_option/{self.option.id}", {})
        self.assertEqual(self.order.order_line, line)
        self.assertEqual(line.product_uom_qty, 1)
        self.assertFalse(self.option.line_id)
        self.assertEqual(self.order.b2b_state, "pending")

    def test_approval_comments_hidden_from_outsiders(self):
        self.order.with_user(self.lead.user_id).action_b2b_reject("b2bt secret reason")
        for key, allowed in [
            ("requester", True),
            ("lead", True),
            *((key, False) for key in self.outsiders),
        ]:
            with self.subTest(member=key):
                self.login(key)
                page = self.url_open(f"/my/premier/quotes/{self.order.id}")
                self.assertEqual("b2bt secret reason" in page.text, allowed)
                if not allowed:
                    page = self.url_open(f"/my/orders/{self.order.id}")
                    self.assertNotIn("b2bt secret reason", page.text)
                    self.assertNotIn(self.order.name, page.text)
