# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What one case intake costs, pinned: the load test's hot paths."""

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools.sql import index_exists

from .common import CssCommon
from .test_channels import INCOMING

# css.case.create of one API case by an agent (reference, routing, SLA
# deadlines, creation message, customer and creator as followers): one
# INSERT of the case with everything it derives, no UPDATE after it.
API_INTAKE_QUERIES = 34
# mail.thread.message_process of a new e-mail from a known customer.
MAIL_INTAKE_QUERIES = 54


@tagged("post_install", "-at_install")
class TestIntakeCost(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        # A team ahead of the agent's in the list, without the agent.
        cls.first_team = cls.env["css.team"].create(
            {"name": "Beijing Call Centre", "sequence": 1}
        )
        cls.team.sequence = 2

    def _api_case(self, user, ref, **vals):
        return (
            self.env["css.case"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "channel": "api",
                    "case_type": "repair",
                    "subject": f"Drum noise {ref}",
                    "external_ref": ref,
                    **vals,
                }
            )
        )

    def test_api_intake_queries(self):
        self._api_case(self.agent, "WARM-1")  # sequences, caches
        self.env.invalidate_all()
        with self.assertQueryCount(API_INTAKE_QUERIES):
            case = self._api_case(self.agent, "API-1")
        self.assertEqual(case.team_id, self.team, "the agent's own team")
        self.assertTrue(case.name.startswith("CSS"), case.name)
        self.assertTrue(case.response_deadline and case.resolution_deadline)
        self.assertEqual(
            case.message_partner_ids,
            self.customer | self.agent.partner_id,
            "the customer and the agent who recorded it follow the case",
        )
        self.assertEqual(len(case.message_ids), 1, "one creation message")

    def test_intake_routing(self):
        """The recording agent's team first; else the company's first team;
        never a team of another company."""
        self.assertEqual(self._api_case(self.agent, "R-1").team_id, self.team)
        self.assertEqual(
            self._api_case(self.manager, "R-2").team_id,
            self.first_team,
            "a user in no team: the first team",
        )
        self.assertEqual(
            self._api_case(self.manager, "R-3", user_id=self.agent.id).team_id,
            self.team,
            "the assigned agent's team",
        )
        other_company = self.env["res.company"].create({"name": "Other Co (test)"})
        self.env["css.team"].create(
            {
                "name": "Other Co team",
                "sequence": 0,
                "company_id": other_company.id,
                "member_ids": [Command.link(self.manager.id)],
            }
        )
        self.assertEqual(
            self._api_case(self.manager, "R-4").team_id,
            self.first_team,
            "the manager's team of another company is not chosen",
        )

    def test_customer_recording_own_case_follows_it_once(self):
        case = (
            self.env["css.case"]
            .with_user(self.portal_user)
            ._portal_create_request(
                {"case_type": "repair", "subject": "Fridge warm", "description": "x"}
            )
        )
        followers = case.sudo().message_follower_ids
        self.assertEqual(followers.partner_id, self.portal_user.partner_id)
        self.assertEqual(len(followers), 1)

    def test_followers_of_new_cases(self):
        """The recording agent follows with the default subtypes, each
        customer with the ones customers get, once per case, in a batch of
        several customers too; an archived contact follows nothing."""
        Subtype = self.env["mail.message.subtype"]
        default, _internal, external = Subtype.default_subtypes("css.case")
        other = self.customer.copy({"name": "Wang Fang"})
        archived = self.customer.copy({"name": "Gone Ltd", "active": False})
        cases = (
            self.env["css.case"]
            .with_user(self.agent)
            .create(
                [
                    {"partner_id": partner.id, "subject": f"Case {n}"}
                    for n, partner in enumerate(
                        (self.customer, other, self.customer, archived)
                    )
                ]
            )
        )
        for case, customer in zip(
            cases[:3], (self.customer, other, self.customer), strict=True
        ):
            followers = case.sudo().message_follower_ids
            self.assertEqual(followers.partner_id, customer | self.agent.partner_id)
            by_partner = followers.grouped("partner_id")
            self.assertEqual(by_partner[customer].subtype_ids, external)
            self.assertEqual(by_partner[self.agent.partner_id].subtype_ids, default)
        self.assertEqual(
            cases[3].sudo().message_follower_ids.partner_id,
            self.agent.partner_id,
            "an archived contact is not subscribed",
        )

    def test_mail_intake_finds_sender_by_indexed_address(self):
        self.assertTrue(
            index_exists(self.env.cr, "res_partner__email_normalized_index"),
            "the gateway's sender lookup must not scan all contacts",
        )
        self.customer.email = "li.customer@example.com"
        raw = INCOMING.format(
            sender="li.customer@example.com",
            subject="Dryer stops",
            msgid="warm-1@example.com",
            body="It stops.",
            name="Li",
            extra="",
        )
        self.env["mail.thread"].message_process("css.case", raw)
        self.env.invalidate_all()
        raw = raw.replace("warm-1@", "cost-1@").replace("Dryer", "Oven")
        with self.assertQueryCount(MAIL_INTAKE_QUERIES):
            case_id = self.env["mail.thread"].message_process("css.case", raw)
        case = self.env["css.case"].browse(case_id)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.channel, "email")
