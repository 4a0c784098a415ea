# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CssCommon

INCOMING = """Return-Path: <{sender}>
From: {name} <{sender}>
To: service@example.com
Subject: {subject}
Message-ID: <{msgid}>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Fri, 20 Nov 2026 08:00:00 +0000

{body}
"""


@tagged("post_install", "-at_install")
class TestChannels(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def _receive(self, sender, subject, msgid, body="It leaks.", name="X", extra=""):
        raw = INCOMING.format(
            sender=sender,
            subject=subject,
            msgid=msgid,
            body=body,
            name=name,
            extra=extra,
        )
        return self.env["mail.thread"].message_process("css.case", raw)

    def test_phone_intake_creates_phone_case_for_caller(self):
        intake = (
            self.env["css.phone.intake"]
            .with_user(self.agent)
            .create(
                {
                    "phone": "+86 137-2046-5813",
                    "asset_id": self.asset.id,
                    "description": "<p>Noise when spinning</p>",
                }
            )
        )
        action = intake.action_create_case()
        case = self.env["css.case"].browse(action["res_id"])
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.product_id, self.product)
        self.assertEqual(case.user_id, self.agent)
        self.assertTrue(case.name.startswith("CSS"))
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertIn(self.customer, case.message_partner_ids)

    def test_phone_intake_unknown_caller_creates_customer(self):
        Intake = self.env["css.phone.intake"].with_user(self.agent)
        intake = Intake.create({"phone": "021 5555 0001"})
        self.assertFalse(intake.partner_id)
        with self.assertRaisesRegex(Exception, "new customer"):
            intake.action_create_case()
        self.assertFalse(
            self.env["css.case"].search([("partner_id.phone", "=", "021 5555 0001")])
        )
        intake.new_partner_name = "Chen Jie"
        case = self.env["css.case"].browse(intake.action_create_case()["res_id"])
        self.assertEqual(case.partner_id.name, "Chen Jie")
        self.assertEqual(case.partner_id.css_phone_normalized, "+862155550001")

    def test_email_from_known_customer_creates_email_case(self):
        case_id = self._receive(
            "zhang.wei@example.com",
            "Fridge not cooling",
            "m1@example.com",
            name="Zhang Wei",
        )
        case = self.env["css.case"].browse(case_id)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.subject, "Fridge not cooling")
        self.assertIn("It leaks.", case.description)
        self.assertTrue(case.name.startswith("CSS"))

    def test_email_from_unknown_sender_keeps_address(self):
        case_id = self._receive("stranger@example.org", "Hello", "m2@example.org")
        case = self.env["css.case"].browse(case_id)
        self.assertFalse(case.partner_id)
        self.assertIn("stranger@example.org", case.email_from)
        self.assertEqual(case.team_id.company_id, case.company_id, "routed to a team")
        self.assertEqual(case.channel, "email")

    def test_email_reply_threads_into_case(self):
        case_id = self._receive("zhang.wei@example.com", "Dryer", "m3@example.com")
        again = self._receive(
            "zhang.wei@example.com",
            "Re: Dryer",
            "m4@example.com",
            body="Still broken",
            extra="In-Reply-To: <m3@example.com>\nReferences: <m3@example.com>\n",
        )
        self.assertEqual(again, case_id)
        self.assertEqual(
            self.env["css.case"].search_count([("subject", "=", "Dryer")]), 1
        )

    def test_settings_rename_the_service_alias(self):
        alias = self.env.ref("crm_haier_css.mail_alias_css_case")
        self.assertTrue(alias.alias_name, "the install hook names the alias")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.css_alias_name, alias.alias_name)
        settings.css_alias_name = "after-sales"
        settings.execute()
        self.assertEqual(alias.alias_name, "after-sales")

    def test_manual_channels_are_recorded(self):
        Case = self.env["css.case"].with_user(self.agent)
        for channel in ("fax", "letter", "sales_rep", "distributor"):
            with self.subTest(channel=channel):
                case = Case.create(
                    {
                        "partner_id": self.customer.id,
                        "channel": channel,
                        "case_type": "installation",
                    }
                )
                self.assertEqual(case.channel, channel)
                self.assertEqual(case.state, "new")
                self.assertEqual(case.create_uid, self.agent)


@tagged("post_install", "-at_install")
class TestChannelsHttp(CssCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_screen_pop_lands_on_quick_entry_with_caller(self):
        self.authenticate("css_agent", "css_agent")
        response = self.url_open(
            "/css/call?phone=%2B86%20532%208471%202058", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        location = response.headers["Location"]
        self.assertIn("/odoo/action-crm_haier_css.action_css_phone_intake/", location)
        intake = self.env["css.phone.intake"].browse(int(location.rsplit("/", 1)[1]))
        self.assertEqual(intake.partner_id, self.customer)
        self.assertEqual(intake.create_uid, self.agent)

    def test_screen_pop_refused_to_non_agents(self):
        self.authenticate("css_employee", "css_employee")
        response = self.url_open("/css/call?phone=123", allow_redirects=False)
        self.assertEqual(response.status_code, 403)

    def test_api_creates_api_case(self):
        case_id = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent.id,
            "css_agent",
            "css.case",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "channel": "api",
                    "case_type": "maintenance",
                    "subject": "Yearly maintenance",
                }
            ],
        )
        callers = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent.id,
            "css_agent",
            "res.partner",
            "css_find_callers",
            ["+86 (0)532 8471-2058"],
        )
        self.assertEqual([c["id"] for c in callers], self.customer.ids)
        case = self.env["css.case"].browse(case_id)
        self.assertEqual(case.channel, "api")
        self.assertEqual(case.create_uid, self.agent)
        self.assertTrue(case.response_deadline)


@tagged("post_install", "-at_install")
class TestAgentTour(CssCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_agent_takes_call_from_screen_pop_to_resolution(self):
        self.start_tour(
            "/css/call?phone=0532%208471%202058",
            "crm_haier_css_agent_call",
            login="css_agent",
        )
        case = self.env["css.case"].search(
            [("subject", "=", "Where is the drain filter?")]
        )
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.state, "resolved")
        self.assertTrue(case.rating_ids, "the satisfaction request went out")
