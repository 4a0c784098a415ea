# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import B2bCase, B2bHttpCase

MEMBERS = ("requester", "lead", "head", "cfo", "purchaser", "admin")


class Undo(Exception):
    """Raised to roll back an action that went through."""


@tagged("post_install", "-at_install")
class TestPortalOffersWhatTheServerAllows(B2bCase):
    """What the portal offers a member is what the action methods accept."""

    def allowed(self, action):
        """Whether ``action()`` goes through; whatever it did is rolled back."""
        try:
            with self.env.cr.savepoint():
                action()
                raise Undo()
        except Undo:
            return True
        except (AccessError, UserError):
            return False
        finally:
            self.env.invalidate_all()

    def quotes_in_every_state(self):
        draft = self.quote()
        pending = self.submitted(qty=5)
        approved = self.submitted(qty=1)
        self.as_member(approved, self.lead).action_b2b_approve("ok")
        return {"draft": draft, "pending": pending, "approved": approved}

    def test_decide_edit_place_match_the_actions(self):
        for state, order in self.quotes_in_every_state().items():
            for key in MEMBERS:
                member = getattr(self, key)
                mine = self.as_member(order, member)
                if not mine.has_access("read"):
                    continue
                with self.subTest(state=state, member=key):
                    self.assertEqual(
                        mine._b2b_can_decide(member),
                        self.allowed(lambda o=mine: o.action_b2b_approve("ok")),
                    )
                    self.assertEqual(
                        mine._b2b_is_editable(member),
                        self.allowed(
                            lambda o=mine: o.b2b_portal_set_details(0, "PO-9", 0)
                        ),
                    )
                    self.assertEqual(
                        mine._b2b_can_place(member),
                        self.allowed(lambda o=mine: o.action_b2b_place_order()),
                    )

    def test_approver_above_their_limit_is_neither_offered_nor_allowed(self):
        order = self.submitted(qty=5)  # 450.00 untaxed: the lead's step
        self.assertEqual(self.steps(order).member_ids, self.lead)
        self.lead.approval_limit = 100.0  # lowered since the chain was built
        mine = self.as_member(order, self.lead)
        self.assertFalse(mine._b2b_can_decide(self.lead))
        self.assertNotIn(order, self.env["sale.order"]._b2b_inbox(self.lead))
        with self.assertRaisesRegex(AccessError, "may not approve"):
            mine.action_b2b_approve("ok")


@tagged("post_install", "-at_install")
class TestPortalPageOffers(B2bHttpCase):
    def test_quote_page_hides_approve_from_an_approver_above_limit(self):
        order = self.submitted(qty=5)
        self.authenticate("b2bt_lead", "b2bt_lead")
        page = self.url_open(f"/my/premier/quotes/{order.id}").text
        self.assertIn("o_b2b_approve", page)
        self.lead.approval_limit = 100.0
        page = self.url_open(f"/my/premier/quotes/{order.id}").text
        self.assertNotIn("o_b2b_approve", page)
        home = self.url_open("/my/premier/approvals").text
        self.assertNotIn(order.name, home)
