# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may set which field: the rules hold whoever calls (RPC, portal, screens)."""

import json
from datetime import datetime

from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestFieldGuard(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        cls.other_contract = cls.env["css.contract"].create(
            {
                "partner_id": cls.other_customer.id,
                "date_start": "2026-01-01",
                "date_end": "2027-12-31",
                "covers_all_assets": True,
                "sla_policy_id": cls.policy.id,
            }
        )
        cls.other_contract.action_start()
        cls.case = cls._new_case(asset_id=cls.asset.id)

    def _portal_case_vals(self, **extra):
        return {
            "partner_id": self.customer.id,
            "channel": "portal",
            "case_type": "repair",
            "asset_id": self.asset.id,
            "subject": "Leaks",
            "description": "<p>Water on the floor</p>",
            **extra,
        }

    def _case_count(self):
        return self.env["css.case"].search_count([])

    # ------------------------------------------------------------------
    # Portal customers create only what the portal form offers
    # ------------------------------------------------------------------

    def test_portal_create_takes_the_form_fields_and_derives_the_rest(self):
        case = (
            self.env["css.case"]
            .with_user(self.portal_user)
            .create(self._portal_case_vals())
        )
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.priority, "0")
        self.assertEqual(case.state, "new")
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertFalse(case.contract_id)
        self.assertFalse(case.first_response_date)
        self.assertEqual(case.escalation_level, 0)

    def test_portal_create_refuses_every_other_field(self):
        Case = self.env["css.case"].with_user(self.portal_user)
        forbidden = {
            "contract_id": self.other_contract.id,
            "sla_policy_id": self.policy.id,
            "priority": "3",
            "reported_date": "2020-01-01 00:00:00",
            "stage_id": self.env.ref("crm_haier_css.css_stage_resolved").id,
            "user_id": self.agent.id,
            "team_id": self.team.id,
            "escalation_level": 2,
            "first_response_date": "2026-11-20 08:00:00",
            "email_from": "someone@example.com",
        }
        before = self._case_count()
        for field, value in forbidden.items():
            with self.subTest(field=field), self.assertRaises(AccessError):
                Case.create(self._portal_case_vals(**{field: value}))
        self.assertEqual(self._case_count(), before)

    def test_portal_create_refuses_defaults_given_through_the_context(self):
        Case = (
            self.env["css.case"]
            .with_user(self.portal_user)
            .with_context(default_priority="3")
        )
        before = self._case_count()
        with self.assertRaises(AccessError):
            Case.create(self._portal_case_vals())
        self.assertEqual(self._case_count(), before)

    def test_portal_create_refuses_other_channels_and_complaints(self):
        Case = self.env["css.case"].with_user(self.portal_user)
        before = self._case_count()
        with self.assertRaises(AccessError):
            Case.create(self._portal_case_vals(channel="phone"))
        with self.assertRaises(AccessError):
            Case.create(self._portal_case_vals(case_type="complaint"))
        self.assertEqual(self._case_count(), before)

    def test_portal_cannot_link_another_customers_product(self):
        Case = self.env["css.case"].with_user(self.portal_user)
        before = self._case_count()
        with self.assertRaises(AccessError):
            Case.create(self._portal_case_vals(asset_id=self.other_asset.id))
        self.assertEqual(self._case_count(), before)

    def test_portal_cannot_create_through_the_mail_gateway_entry_point(self):
        before = self._case_count()
        with self.assertRaises(AccessError):
            self.env["css.case"].with_user(self.portal_user).message_new(
                {"subject": "Via RPC", "body": "<p>x</p>", "email_from": "a@b.c"},
                {"priority": "3"},
            )
        self.assertEqual(self._case_count(), before)

    def test_portal_registers_products_without_setting_the_warranty(self):
        Asset = self.env["css.asset"].with_user(self.portal_user)
        values = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "serial": "HW80-9001",
            "purchase_date": "2026-06-01",
        }
        before = self.env["css.asset"].search_count([])
        for field, value in {
            "warranty_end": "2099-12-31",
            "install_date": "2026-06-02",
            "distributor_id": self.other_customer.id,
            "active": True,
        }.items():
            with self.subTest(field=field), self.assertRaises(AccessError):
                Asset.create({**values, field: value})
        self.assertEqual(self.env["css.asset"].search_count([]), before)
        asset = Asset.create(values)
        self.assertEqual(str(asset.warranty_end), "2028-06-01")

    def test_portal_cannot_register_a_private_product(self):
        with self.assertRaises(AccessError):
            self.env["css.asset"].with_user(self.portal_user).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.private_product.id,
                    "serial": "CH-1",
                }
            )

    def test_portal_cannot_write_cases_or_products(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.portal_user).write({"subject": "Changed"})
        with self.assertRaises(AccessError):
            self.asset.with_user(self.portal_user).write({"warranty_end": "2099-12-31"})
        self.assertNotEqual(str(self.asset.warranty_end), "2099-12-31")

    # ------------------------------------------------------------------
    # SLA evidence is set by the system only
    # ------------------------------------------------------------------

    def test_sla_evidence_is_not_writable_by_any_role(self):
        evidence = {
            "first_response_date": "2026-11-20 08:05:00",
            "resolved_date": "2026-11-20 09:00:00",
            "closed_date": "2026-11-20 09:00:00",
            "escalation_level": 0,
            "escalation_date": False,
            "reopen_count": 0,
            "sla_status": "met",
            "response_deadline": "2099-01-01 00:00:00",
            "sla_start_date": "2099-01-01 00:00:00",
            "state": "closed",
            "commercial_partner_id": self.other_customer.id,
        }
        snapshot = self.case.read(list(evidence))[0]
        for user in (self.agent, self.leader, self.manager):
            for field, value in evidence.items():
                with (
                    self.subTest(user=user.login, field=field),
                    self.assertRaises(AccessError),
                ):
                    self.case.with_user(user).write({field: value})
        self.case.invalidate_recordset()
        self.assertEqual(self.case.read(list(evidence))[0], snapshot)
        self.assertEqual(
            self.env.ref("crm_haier_css.css_stage_new").state,
            "new",
            "writing the related state must not rename a stage's state",
        )

    def test_sla_evidence_cannot_be_given_on_create(self):
        Case = self.env["css.case"].with_user(self.agent)
        before = self._case_count()
        with self.assertRaises(AccessError):
            Case.create(
                {
                    "partner_id": self.customer.id,
                    "first_response_date": "2026-11-20 08:00:00",
                }
            )
        with self.assertRaises(AccessError):
            Case.with_context(default_resolved_date="2026-11-20 08:00:00").create(
                {"partner_id": self.customer.id}
            )
        self.assertEqual(self._case_count(), before)

    def test_the_case_methods_still_record_the_evidence(self):
        """Assign, answer, resolve, reopen, resolve again: a chain of steps."""
        case = self.case.with_user(self.agent)
        with freeze_time("2026-11-20 09:00:00"):
            case.action_assign()
            case.action_first_response()
        with freeze_time("2026-11-20 10:00:00"):
            case.write({"fault_code_id": self.fault.id})
            case.action_resolve()
        self.assertEqual(case.first_response_date, datetime(2026, 11, 20, 9, 0))
        self.assertEqual(case.resolved_date, datetime(2026, 11, 20, 10, 0))
        self.assertEqual(case.sla_status, "met")
        with freeze_time("2026-11-21 08:00:00"):
            case.action_reopen()
        self.assertFalse(case.resolved_date)
        self.assertEqual(case.reopen_count, 1)
        self.assertEqual(case.sla_start_date, datetime(2026, 11, 21, 8, 0))
        self.assertEqual(case.first_response_date, datetime(2026, 11, 20, 9, 0))
        with freeze_time("2026-11-21 09:00:00"):
            case.action_resolve()
            case.action_close()
        self.assertEqual(case.resolved_date, datetime(2026, 11, 21, 9, 0))
        self.assertEqual(case.closed_date, datetime(2026, 11, 21, 9, 0))
        self.assertEqual(case.state, "closed")

    def test_customers_cannot_call_the_desk_actions(self):
        case = self.case.with_user(self.portal_user)
        for action in (
            case.action_assign,
            case.action_first_response,
            case.action_wait,
            case.action_resolve,
            case.action_cancel,
            case.action_close,
            case.action_reopen,
        ):
            with self.subTest(action=action.__name__), self.assertRaises(AccessError):
                action()
        self.assertFalse(self.case.first_response_date)
        self.assertEqual(self.case.state, "new")

    # ------------------------------------------------------------------
    # Catalogue, caller lookup, serial numbers, companies
    # ------------------------------------------------------------------

    def test_portal_reads_registrable_and_own_products_only(self):
        Product = self.env["product.product"].with_user(self.portal_user)
        both = self.product | self.private_product
        found = Product.search([("id", "in", both.ids)])
        self.assertEqual(found, self.product)
        with self.assertRaises(AccessError):
            self.private_product.with_user(self.portal_user).read(["name"])
        # A product the customer owns stays readable once it is no longer
        # offered for registration.
        self.product.css_portal_registrable = False
        self.assertEqual(
            Product.search([("id", "=", self.product.id)]),
            self.product,
        )
        self.assertFalse(
            self.env["product.product"]
            .with_user(self.other_portal_user)
            .search([("id", "=", self.private_product.id)])
        )

    def test_normalised_numbers_follow_the_phone_only(self):
        before = self.customer.css_phone_normalized
        with self.assertRaises(AccessError):
            self.customer.with_user(self.agent).write(
                {"css_phone_normalized": self.other_customer.css_phone_normalized}
            )
        self.assertEqual(self.customer.css_phone_normalized, before)
        self.customer.with_user(self.agent).write({"phone": "0532 1234 5678"})
        self.assertTrue(self.customer.css_phone_normalized.endswith("53212345678"))

    def test_caller_lookup_is_for_agents_only(self):
        number = self.customer.phone
        found = self.env["res.partner"].with_user(self.agent).css_find_callers(number)
        self.assertEqual([row["id"] for row in found], self.customer.ids)
        for user in (self.portal_user, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).css_find_callers(number)

    def test_serial_check_matches_one_number_not_a_pattern(self):
        Asset = self.env["css.asset"].with_user(self.portal_user)
        # Another customer's serial, whatever its case, is taken...
        with self.assertRaises(UserError):
            Asset._check_serial_available(self.product, "hw80-0002")
        # ... but wildcards do not probe other customers' serials.
        for pattern in ("HW80-%", "HW80-000_", "%"):
            with self.subTest(pattern=pattern):
                Asset._check_serial_available(self.product, pattern)

    def test_records_of_another_company_cannot_be_linked(self):
        other_company = self.env["res.company"].create({"name": "Haier Europe (test)"})
        foreign_asset = self.env["css.asset"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "serial": "EU-1",
                "company_id": other_company.id,
            }
        )
        agent_both = new_test_user(
            self.env,
            login="css_agent_two_companies",
            groups="crm_haier_css.group_css_agent",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | other_company).ids)],
        )
        Case = (
            self.env["css.case"]
            .with_user(agent_both)
            .with_context(allowed_company_ids=(self.company | other_company).ids)
        )
        before = self._case_count()
        with self.assertRaises(UserError):
            Case.create(
                {
                    "partner_id": self.customer.id,
                    "asset_id": foreign_asset.id,
                    "company_id": self.company.id,
                }
            )
        self.assertEqual(self._case_count(), before)


@tagged("post_install", "-at_install")
class TestFieldGuardHttp(CssCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def setUp(self):
        super().setUp()
        self.authenticate("css_portal", "css_portal")

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rpc_create_with_a_priority_is_refused(self):
        before = self.env["css.case"].search_count([])
        result = self._call_kw(
            "css.case",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "channel": "portal",
                    "subject": "Urgent!",
                    "priority": "3",
                    "reported_date": "2020-01-01 00:00:00",
                }
            ],
        )
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn("Priority", result["error"]["data"]["message"])
        self.assertEqual(self.env["css.case"].search_count([]), before)

    def test_rpc_read_of_a_private_product_is_refused(self):
        result = self._call_kw(
            "product.product", "read", [self.private_product.ids, ["name"]]
        )
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.AccessError")

    def test_portal_form_ignores_fields_it_does_not_offer(self):
        response = self.url_open(
            "/my/service/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "description": "Noisy spin",
                "case_type": "repair",
                "priority": "3",
                "sla_policy_id": str(self.policy.id),
                "channel": "api",
            },
        )
        self.assertEqual(response.status_code, 200)
        case = self.env["css.case"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.priority, "0")

    def test_product_page_lists_registrable_products_only(self):
        response = self.url_open("/my/service/products")
        self.assertIn(self.product.name, response.text)
        self.assertNotIn(self.private_product.name, response.text)
        before = self.env["css.asset"].search_count([])
        response = self.url_open(
            "/my/service/products",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "product_id": str(self.private_product.id),
                "serial": "CH-2",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose the product", response.text)
        self.assertEqual(self.env["css.asset"].search_count([]), before)
