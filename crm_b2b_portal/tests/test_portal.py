# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import re
import zipfile
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import B2bHttpCase

CSRF_RE = re.compile(r'csrf_token: "([^"]+)"')


@tagged("post_install", "-at_install")
class TestPortal(B2bHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    # helpers -------------------------------------------------------------------

    def login(self, key):
        self.authenticate(f"b2bt_{key}", f"b2bt_{key}")
        page = self.url_open("/my/premier", allow_redirects=False)
        match = CSRF_RE.search(page.text)
        self.csrf = match.group(1) if match else "none"

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def post(self, url, **data):
        """POST a portal form; return the page it redirects to (with its message)."""
        response = self.url_open(
            url, data={"csrf_token": self.csrf, **data}, allow_redirects=False
        )
        if response.status_code in (301, 302, 303):
            return self.url_open(response.headers["Location"])
        return response

    def new_quote(self, qty=1):
        order = (
            self.env["sale.order"]
            .with_user(self.requester.user_id)
            .b2b_portal_new_quote()
        )
        order.b2b_portal_add_product(self.desk.id, [], qty)
        return order.sudo()

    # visibility matrix ---------------------------------------------------------

    def test_catalogue_shows_only_the_account_products_at_negotiated_prices(self):
        self.login("requester")
        page = self.get("/my/premier")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.desk.name, page.text)
        self.assertIn("90.00", page.text)  # 100 less the negotiated 10 %
        self.assertNotIn(self.secret.name, page.text)
        page = self.get(f"/my/premier?search={self.chair.name}")
        self.assertIn(self.chair.name, page.text)
        self.assertNotIn(self.desk.name, page.text)
        self.assertEqual(
            self.get(f"/my/premier/product/{self.secret.id}").status_code, 404
        )
        page = self.get(f"/my/premier/product/{self.laptop.id}")
        self.assertIn("32 GB", page.text)
        self.assertIn("400.00", page.text)  # the option's price extra

    def test_portal_home_entries(self):
        order = self.new_quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.login("lead")
        self.assertIn("Premier procurement", self.get("/my/home").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["b2b_premier_count", "b2b_approval_count"]}
        )
        self.assertEqual(counters, {"b2b_premier_count": 1, "b2b_approval_count": 1})
        self.login("internal")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["b2b_premier_count", "b2b_approval_count"]}
        )
        self.assertEqual(counters, {"b2b_premier_count": 0, "b2b_approval_count": 0})

    def test_pages_read_as_odoo_portal_pages(self):
        order = self.new_quote(qty=10)
        self.login("requester")
        home = self.get("/my/home").text
        self.assertIn("/crm_b2b_portal/static/src/img/premier.svg", home)
        # The quote selector is labelled.
        page = self.get(f"/my/premier/product/{self.desk.id}").text
        self.assertIn('<label for="b2b_quote_picker"', page)
        order.with_user(self.requester.user_id).action_b2b_submit()
        order.with_user(self.lead.user_id).action_b2b_approve("ok")
        page = self.get(f"/my/premier/quotes/{order.id}").text
        self.assertNotIn(">10.0<", page)
        self.assertIn(">10.00</span>", page)
        # The total is the bold figure, not the untaxed amount.
        self.assertRegex(page, r'<tr class="fw-bold"><td[^>]*>Total</td>')
        decided = self.steps(order).decided_on
        with_seconds = fields.Datetime.context_timestamp(order, decided).strftime(
            "%H:%M:%S"
        )
        self.assertNotIn(with_seconds, page)
        # A purchaser sees no Add button, and why.
        self.login("purchaser")
        page = self.get(f"/my/premier/product/{self.desk.id}").text
        self.assertNotIn("o_b2b_add", page)
        self.assertIn("Quotes are built by requesters.", page)

    def test_times_in_the_browser_time_zone_when_the_user_has_none(self):
        """The trail's decision time, 08:00 UTC, reads in the browser's time
        zone (the ``tz`` cookie) for a member without one of his own."""
        order = self.new_quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        order.with_user(self.lead.user_id).action_b2b_approve("ok")
        self.steps(order).decided_on = "2026-11-20 08:00:00"
        self.requester.user_id.tz = False
        self.login("requester")
        trail = re.compile(r"<td><span[^>]*>(11/20/2026 [0-9:]+)</span></td>")
        page = self.get(f"/my/premier/quotes/{order.id}").text
        self.assertEqual(trail.findall(page), ["11/20/2026 08:00"])
        self.opener.cookies.set("tz", "Asia/Shanghai")
        page = self.get(f"/my/premier/quotes/{order.id}").text
        self.assertEqual(trail.findall(page), ["11/20/2026 16:00"])

    def test_non_members_are_refused(self):
        self.login("internal")
        self.assertEqual(self.get("/my/premier").status_code, 403)
        self.authenticate(None, None)
        self.assertIn(self.get("/my/premier").status_code, (302, 303))

    def test_quote_visibility_follows_roles(self):
        order = self.new_quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        url = f"/my/premier/quotes/{order.id}"
        expected = {
            "requester": 200,
            "lead": 200,  # approver of its step
            "head": 404,  # approver, but not of this quote
            "purchaser": 404,  # purchasers see approved and ordered quotes
            "admin": 200,
            "stranger": 404,  # another company
            "internal": 403,
        }
        for key, status in expected.items():
            with self.subTest(member=key):
                self.login(key)
                self.assertEqual(self.get(url).status_code, status)

    def test_route_matrix(self):
        ok, forbidden = 200, 403
        members = ["requester", "lead", "purchaser", "admin", "stranger"]
        matrix = {
            "/my/premier": dict.fromkeys(members, ok),
            "/my/premier/quotes": dict.fromkeys(members, ok),
            "/my/premier/approvals": dict.fromkeys(members, ok),
            "/my/premier/orders": dict.fromkeys(members, ok),
            f"/my/premier/product/{self.desk.id}": dict.fromkeys(members, ok),
            f"/my/premier/product/{self.secret.id}": dict.fromkeys(members, 404),
            "/my/premier/members": {
                **dict.fromkeys(members, forbidden),
                "admin": ok,
                "stranger": ok,
            },
            "/my/premier/reports": {
                **dict.fromkeys(members, ok),
                "requester": forbidden,
            },
            "/my/premier/reports.xlsx": {
                **dict.fromkeys(members, ok),
                "requester": forbidden,
            },
        }
        for key in [*members, "internal"]:
            self.login(key)
            for url, expected in matrix.items():
                with self.subTest(member=key, url=url):
                    status = expected.get(key, forbidden)
                    self.assertEqual(self.get(url).status_code, status)

    def test_post_matrix_for_outsiders(self):
        order = self.new_quote()
        line = order.order_line
        posts = {
            "submit": {},
            "withdraw": {},
            "approve": {"comment": "x"},
            "reject": {"comment": "x"},
            "place": {},
            "duplicate": {},
            "details": {"client_order_ref": "HACK"},
            f"line/{line.id}": {"quantity": "5"},
        }
        for key, status in (("stranger", 404), ("internal", 403)):
            self.login(key)
            for action, data in posts.items():
                with self.subTest(member=key, action=action):
                    url = f"/my/premier/quotes/{order.id}/{action}"
                    response = self.url_open(
                        url,
                        data={"csrf_token": self.csrf, "x": "1", **data},
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, status)
        self.assertEqual(order.b2b_state, "draft")
        self.assertEqual(line.product_uom_qty, 1)
        self.assertFalse(order.client_order_ref)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("b2b_account_id", "=", self.account.id)]
            ),
            1,
        )

    def test_action_matrix(self):
        order = self.new_quote()
        base = f"/my/premier/quotes/{order.id}"
        # Only the requester submits.
        for key in ("lead", "admin"):
            self.login(key)
            self.post(f"{base}/submit")
            self.assertEqual(order.b2b_state, "draft")
        self.login("stranger")
        self.assertEqual(self.post(f"{base}/submit").status_code, 404)
        self.login("requester")
        page = self.post(f"{base}/submit")
        self.assertIn("Quote submitted.", page.text)
        self.assertEqual(order.b2b_state, "pending")
        # The requester cannot approve; the head is not on the step.
        page = self.post(f"{base}/approve", comment="me")
        self.assertIn("own quote", page.text)
        self.login("head")
        self.assertEqual(self.post(f"{base}/approve", comment="x").status_code, 404)
        # Purchasers do not see quotes that are not approved yet.
        self.login("purchaser")
        self.assertEqual(self.post(f"{base}/approve", comment="x").status_code, 404)
        self.assertEqual(self.post(f"{base}/place").status_code, 404)
        self.assertEqual(order.b2b_state, "pending")
        # The lead rejects without a reason, then approves.
        self.login("lead")
        page = self.get("/my/premier/approvals")
        self.assertIn(order.name, page.text)
        page = self.post(f"{base}/reject", comment="")
        self.assertIn("Say why", page.text)
        page = self.post(f"{base}/approve", comment="Looks right")
        self.assertIn("Your approval is recorded.", page.text)
        self.assertEqual(order.b2b_state, "approved")
        page = self.post(f"{base}/approve", comment="double click")
        self.assertIn("not waiting for approval", page.text)
        # Only the purchaser places it.
        for key in ("requester", "lead", "admin"):
            self.login(key)
            self.post(f"{base}/place")
            self.assertEqual(order.state, "draft")
        self.login("purchaser")
        page = self.post(f"{base}/place")
        self.assertIn("Order placed.", page.text)
        self.assertEqual(order.state, "sale")
        self.assertIn(order.name, self.get("/my/premier/orders").text)
        self.assertIn("Looks right", order.b2b_approval_ids.comment)

    def test_delegate_finds_the_quote_in_their_inbox(self):
        order = self.new_quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.login("head")
        self.assertNotIn(order.name, self.get("/my/premier/approvals").text)
        # Around today wherever the head is: near midnight UTC his day (his
        # time zone's) is not the test's.
        today = fields.Date.context_today(self.lead)
        self.lead_away(today - timedelta(days=1), today + timedelta(days=1))
        self.assertIn(order.name, self.get("/my/premier/approvals").text)
        page = self.post(f"/my/premier/quotes/{order.id}/approve", comment="for Priya")
        self.assertIn("Your approval is recorded.", page.text)
        self.assertEqual(order.b2b_state, "approved")

    def test_csrf_required(self):
        order = self.new_quote()
        self.login("requester")
        response = self.url_open(
            f"/my/premier/quotes/{order.id}/submit",
            data={"comment": "no token"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(order.b2b_state, "draft")

    # bad input and tampering -------------------------------------------------------

    def test_bad_quantities_change_nothing(self):
        order = self.new_quote(qty=2)
        line = order.order_line
        self.login("requester")
        for raw, message in [
            ("0", "above zero"),
            ("-3", "above zero"),
            ("abc", "as a number"),
            ("", "as a number"),
            ("nan", "above zero"),
            ("1e12", "at most"),
        ]:
            with self.subTest(quantity=raw):
                page = self.post(
                    f"/my/premier/quotes/{order.id}/line/{line.id}", quantity=raw
                )
                self.assertEqual(page.status_code, 200)
                self.assertIn(message, page.text)
                page = self.post(
                    "/my/premier/quote/add",
                    product_tmpl_id=self.chair.id,
                    quantity=raw,
                    quote_id=order.id,
                )
                self.assertIn(message, page.text)
        self.assertEqual(order.order_line, line)
        self.assertEqual(line.product_uom_qty, 2)

    def test_posted_price_and_foreign_product_ignored(self):
        order = self.new_quote()
        self.login("requester")
        self.post(
            "/my/premier/quote/add",
            product_tmpl_id=self.chair.id,
            quantity="4",
            quote_id=order.id,
            price_unit="0.01",
            price="0.01",
        )
        chair_line = order.order_line.filtered(
            lambda ln: ln.product_id == self.chair.product_variant_id
        )
        self.assertEqual(chair_line.price_unit, 45.0)
        page = self.post(
            "/my/premier/quote/add",
            product_tmpl_id=self.secret.id,
            quantity="1",
            quote_id=order.id,
        )
        self.assertIn("not in your catalog", page.text)
        self.assertEqual(len(order.order_line), 2)

    def test_configured_product_price_extra(self):
        order = self.new_quote()
        self.login("requester")
        self.post(
            "/my/premier/quote/add",
            product_tmpl_id=self.laptop.id,
            value_ids=str(self.ram_32.id),
            quantity="2",
            quote_id=order.id,
        )
        laptop_line = order.order_line.filtered(
            lambda ln: ln.product_id.product_tmpl_id == self.laptop
        )
        self.assertEqual(laptop_line.product_uom_qty, 2)
        self.assertEqual(laptop_line.price_unit, 1260.0)  # (1000 + 400) less 10 %
        # A value of another product is not a valid option.
        page = self.post(
            "/my/premier/quote/add",
            product_tmpl_id=self.laptop.id,
            value_ids="999999",
            quantity="1",
            quote_id=order.id,
        )
        self.assertIn("Choose one value", page.text)

    def test_stale_page_edit_of_submitted_quote_refused(self):
        order = self.new_quote()
        line = order.order_line
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.login("requester")
        page = self.post(f"/my/premier/quotes/{order.id}/line/{line.id}", quantity="7")
        self.assertIn("submitted meanwhile", page.text)
        self.assertEqual(line.product_uom_qty, 1)
        self.assertEqual(order.b2b_state, "pending")
        # Another requester's draft is not reachable.
        other = self.new_quote()
        self.login("lead")
        self.assertEqual(
            self.post(
                f"/my/premier/quotes/{other.id}/line/{other.order_line.id}",
                quantity="3",
            ).status_code,
            404,
        )

    def test_duplicate_and_details(self):
        order = self.new_quote(qty=3)
        center = self.account.cost_center_ids[0]
        self.login("requester")
        self.post(
            f"/my/premier/quotes/{order.id}/details",
            cost_center_id=str(center.id),
            client_order_ref="PO-42",
        )
        self.assertEqual(order.b2b_cost_center_id, center)
        self.assertEqual(order.client_order_ref, "PO-42")
        page = self.post(
            f"/my/premier/quotes/{order.id}/details",
            cost_center_id=str(self.other_account.id + 10000),
        )
        self.assertIn("cost centres", page.text)
        self.assertEqual(order.b2b_cost_center_id, center)
        self.post(f"/my/premier/quotes/{order.id}/duplicate")
        copy = self.env["sale.order"].search(
            [("b2b_requester_id", "=", self.requester.id), ("id", "!=", order.id)]
        )
        self.assertEqual(copy.order_line.product_uom_qty, 3)
        self.assertEqual(copy.b2b_state, "draft")

    # members and reports ----------------------------------------------------------

    def test_member_management_by_admins_only(self):
        url = f"/my/premier/members/{self.lead.id}"
        values = {
            "role_approver": "1",
            "approval_limit": "2500",
            "manager_id": str(self.head.id),
            "active": "1",
        }
        self.login("requester")
        self.assertEqual(self.get("/my/premier/members").status_code, 403)
        self.assertEqual(self.post(url, **values).status_code, 403)
        self.login("stranger")
        self.assertEqual(self.post(url, **values).status_code, 404)
        self.assertEqual(self.lead.approval_limit, 1000)
        self.login("admin")
        self.assertIn(self.lead.name, self.get("/my/premier/members").text)
        page = self.post(url, **values)
        self.assertIn("Member updated.", page.text)
        self.assertEqual(self.lead.approval_limit, 2500)
        page = self.post(url, **{**values, "approval_limit": "lots"})
        self.assertIn("as a number", page.text)
        self.assertEqual(self.lead.approval_limit, 2500)
        page = self.post(
            "/my/premier/members/invite",
            name="New Buyer",
            email="new.buyer@contoso.example.com",
            role_requester="1",
            manager_id=str(self.lead.id),
        )
        self.assertIn("Member added.", page.text)
        new = self.env["b2b.member"].search(
            [("user_id.login", "=", "new.buyer@contoso.example.com")]
        )
        self.assertEqual(new.account_id, self.account)
        self.assertEqual(new.manager_id, self.lead)
        self.assertTrue(new.user_id.share)

    def test_reports_and_xlsx(self):
        order = self.new_quote(qty=2)
        order.b2b_cost_center_id = self.account.cost_center_ids[0]
        order.with_user(self.requester.user_id).action_b2b_submit()
        order.with_user(self.lead.user_id).action_b2b_approve("ok")
        order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.env.flush_all()
        self.login("requester")
        self.assertEqual(self.get("/my/premier/reports").status_code, 403)
        self.login("purchaser")
        page = self.get("/my/premier/reports")
        self.assertIn(order.b2b_cost_center_id.display_name, page.text)
        self.assertIn("180.00", page.text)
        response = self.get("/my/premier/reports.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
            sheets = workbook.read("xl/workbook.xml").decode()
            strings = workbook.read("xl/sharedStrings.xml").decode()
        for sheet in ("Cost Centre", "Member", "Month", "Product Category"):
            self.assertIn(f'name="{sheet}"', sheets)
        self.assertIn(order.b2b_cost_center_id.display_name, strings)
        self.login("stranger")
        page = self.get("/my/premier/reports")
        self.assertNotIn(order.b2b_cost_center_id.display_name, page.text)

    # performance ---------------------------------------------------------------

    def _catalogue_queries(self):
        self.get("/my/premier")
        self.get("/my/premier")
        before = self.cr.sql_log_count
        response = self.get("/my/premier")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_catalogue_query_count_does_not_depend_on_products(self):
        self.login("requester")
        few = self._catalogue_queries()
        self.env["product.template"].create(
            [
                {
                    "name": f"b2bt Paper {i}",
                    "list_price": 5 + i,
                    "categ_id": self.category.id,
                }
                for i in range(20)
            ]
        )
        many = self._catalogue_queries()
        self.assertEqual(few, many)
        with self.assertQueryCount(many):
            self.get("/my/premier")
