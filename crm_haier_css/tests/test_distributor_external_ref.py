# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Idempotent creation by external reference: a retried create returns the
first record, for each distributor's numbering, through the ORM and by RPC."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CssCommon


class ExternalRefCommon(CssCommon):
    @classmethod
    def _setup_external_ref_data(cls):
        cls._setup_css_data()
        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Jiaozhou Appliances (test)",
                "is_company": True,
                "is_distributor": True,
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Huangdao Electric (test)",
                "is_company": True,
                "is_distributor": True,
            }
        )
        cls.outlet_a = cls.env["css.service.center"].create(
            {"name": "Jiaozhou outlet (test)", "distributor_id": cls.distributor_a.id}
        )
        cls.own_outlet = cls.env["css.service.center"].create(
            {"name": "Head office outlet (test)"}
        )

    def _case_vals(self, ref, **vals):
        return {
            "partner_id": self.customer.id,
            "channel": "api",
            "case_type": "repair",
            "subject": f"Case {ref}",
            "external_ref": ref,
            **vals,
        }


@tagged("post_install", "-at_install")
class TestExternalRef(ExternalRefCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_external_ref_data()
        cls.Case = cls.env["css.case"].with_user(cls.agent)

    def _count(self, ref):
        return self.env["css.case"].search_count([("external_ref", "=", ref)])

    def test_known_reference_returns_the_first_case(self):
        vals = self._case_vals("JZ-1001", distributor_id=self.distributor_a.id)
        first = self.Case.create(vals)
        again = self.Case.create(dict(vals, subject="Retried"))
        self.assertEqual(again, first)
        self.assertEqual(first.subject, "Case JZ-1001", "a retry changes nothing")
        self.assertEqual(self._count("JZ-1001"), 1)

    def test_reference_is_trimmed(self):
        vals = self._case_vals(" JZ-1002 ", distributor_id=self.distributor_a.id)
        first = self.Case.create(vals)
        self.assertEqual(first.external_ref, "JZ-1002")
        self.assertEqual(self.Case.create(dict(vals, external_ref="JZ-1002")), first)

    def test_batch_keeps_order_and_deduplicates_inside_itself(self):
        existing = self.Case.create(
            self._case_vals("B-1", distributor_id=self.distributor_a.id)
        )
        cases = self.Case.create(
            [
                self._case_vals("B-2", distributor_id=self.distributor_a.id),
                self._case_vals("B-1", distributor_id=self.distributor_a.id),
                {**self._case_vals(False), "subject": "No reference"},
                self._case_vals("B-2", distributor_id=self.distributor_a.id),
            ]
        )
        self.assertEqual(len(cases), 4)
        self.assertEqual(cases[1], existing)
        self.assertEqual(cases[0], cases[3])
        self.assertEqual(cases[2].subject, "No reference")
        self.assertFalse(cases[2].external_ref)
        self.assertEqual(self._count("B-2"), 1)
        # The whole batch sent again creates nothing.
        again = self.Case.create(
            [
                self._case_vals("B-2", distributor_id=self.distributor_a.id),
                self._case_vals("B-1", distributor_id=self.distributor_a.id),
            ]
        )
        self.assertEqual(again.ids, [cases[0].id, existing.id])

    def test_reference_is_unique_per_distributor(self):
        case_a = self.Case.create(
            self._case_vals("SAME-1", distributor_id=self.distributor_a.id)
        )
        case_b = self.Case.create(
            self._case_vals("SAME-1", distributor_id=self.distributor_b.id)
        )
        own = self.Case.create(self._case_vals("SAME-1"))
        self.assertEqual(len(case_a | case_b | own), 3)
        # Cases without distributor are unique among themselves too.
        self.assertEqual(self.Case.create(self._case_vals("SAME-1")), own)
        self.assertFalse(own.distributor_id)

    def test_outlet_gives_the_distributor_of_the_reference(self):
        case = self.Case.create(
            self._case_vals("OUT-1", service_center_id=self.outlet_a.id)
        )
        self.assertEqual(case.distributor_id, self.distributor_a)
        self.assertEqual(
            self.Case.create(
                self._case_vals("OUT-1", distributor_id=self.distributor_a.id)
            ),
            case,
        )

    def test_routing_moves_the_distributor_unless_the_case_has_a_reference(self):
        plain = self._new_case()
        referenced = self.Case.create(
            self._case_vals("ROUTE-1", distributor_id=self.distributor_b.id)
        )
        (plain | referenced).sudo().service_center_id = self.outlet_a
        self.assertEqual(plain.distributor_id, self.distributor_a)
        # B's reference stays in B's numbering: B's retry finds the case.
        self.assertEqual(referenced.distributor_id, self.distributor_b)
        plain.sudo().service_center_id = self.own_outlet
        self.assertFalse(plain.distributor_id)

    def test_archived_case_is_still_known(self):
        case = self.Case.create(
            self._case_vals("ARCH-1", distributor_id=self.distributor_a.id)
        )
        case.sudo().active = False
        self.assertEqual(
            self.Case.create(
                self._case_vals("ARCH-1", distributor_id=self.distributor_a.id)
            ),
            case,
        )

    def test_known_reference_costs_one_lookup(self):
        vals = self._case_vals("QC-1", distributor_id=self.distributor_a.id)
        case = self.Case.create(vals)
        self.env.invalidate_all()
        with self.assertQueryCount(3):  # lookup, group check, nothing written
            self.assertEqual(self.Case.create(vals), case)

    def test_assets_are_idempotent_too(self):
        Asset = self.env["css.asset"].with_user(self.agent)
        vals = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "serial": "HW80-EXT-1",
            "distributor_id": self.distributor_a.id,
            "external_ref": "SOLD-1",
        }
        asset = Asset.create(vals)
        # Without the reference, the serial would already be taken.
        self.assertEqual(Asset.create(vals), asset)
        other = Asset.create(
            dict(vals, serial="HW80-EXT-2", distributor_id=self.distributor_b.id)
        )
        self.assertNotEqual(other, asset)

    # ------------------------------------------------------------------
    # Who may set the reference and the distributor
    # ------------------------------------------------------------------

    def test_nobody_but_the_system_changes_a_reference(self):
        case = self.Case.create(
            self._case_vals("GUARD-1", distributor_id=self.distributor_a.id)
        )
        for user in (self.agent, self.manager):
            for vals in (
                {"external_ref": "GUARD-2"},
                {"distributor_id": self.distributor_b.id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        case.with_user(user).write(vals)
        asset = self.env["css.asset"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "serial": "HW80-GUARD",
                "external_ref": "SOLD-GUARD",
            }
        )
        with self.assertRaises(AccessError):
            asset.with_user(self.manager).write({"external_ref": "SOLD-OTHER"})
        case.sudo().write({"external_ref": "GUARD-3"})
        self.assertEqual(case.external_ref, "GUARD-3")

    def test_portal_customer_may_not_give_a_reference(self):
        case = self.Case.create(
            self._case_vals("PORTAL-1", distributor_id=self.distributor_a.id)
        )
        vals = {
            "partner_id": self.customer.id,
            "channel": "portal",
            "case_type": "repair",
            "subject": "Probe",
            "external_ref": "PORTAL-1",
            "distributor_id": self.distributor_a.id,
        }
        with self.assertRaises(AccessError):
            self.env["css.case"].with_user(self.portal_user).create(vals)
        self.assertEqual(self._count("PORTAL-1"), 1)
        self.assertTrue(case.exists())

    def test_only_the_service_manager_sets_distributor_terms(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.agent).write({"is_distributor": True})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.agent).create(
                {
                    "name": "Self-made distributor",
                    "is_distributor": True,
                    "product_category_ids": [Command.set(self.categ.ids)],
                }
            )
        self.customer.with_user(self.manager).write(
            {"is_distributor": True, "distributor_tier": "gold"}
        )
        self.assertTrue(self.customer.is_distributor)
        # Agents keep editing the rest of a partner.
        self.customer.with_user(self.agent).write({"phone": "0532 1234 5678"})


@tagged("post_install", "-at_install")
class TestExternalRefRpc(ExternalRefCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_external_ref_data()

    def _vals(self, ref):
        return {
            "partner_id": self.customer.id,
            "channel": "api",
            "case_type": "repair",
            "subject": "Sent by the distributor's system",
            "external_ref": ref,
            "distributor_id": self.distributor_a.id,
        }

    def test_json_rpc_create_returns_the_existing_id(self):
        self.authenticate(self.agent.login, self.agent.login)
        ids = [
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "css.case",
                    "method": "create",
                    "args": [[self._vals("JSON-1")]],
                    "kwargs": {},
                },
            )
            for _attempt in range(2)
        ]
        self.assertEqual(ids[0], ids[1])
        self.assertEqual(
            self.env["css.case"].search_count([("external_ref", "=", "JSON-1")]), 1
        )

    def test_xml_rpc_with_api_key_returns_the_existing_id(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.agent)
            .sudo()  # a key without expiry, as an administrator gives one
            ._generate("rpc", "Distributor system (test)", None)
        )
        results = [
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.agent.id,
                key,
                "css.case",
                "create",
                [self._vals("XML-1")],
            )
            for _attempt in range(2)
        ]
        self.assertEqual(results[0], results[1])
        self.assertIsInstance(results[0], int)
        self.assertEqual(
            self.env["css.case"].search_count([("external_ref", "=", "XML-1")]), 1
        )
