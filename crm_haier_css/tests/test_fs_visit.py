# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestVisit(FieldServiceCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()

    def _lines(self, visit, pumps=1.0, hours=1.0):
        visit.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "line_type": "part",
                            "product_id": self.pump.id,
                            "quantity": pumps,
                        }
                    ),
                    Command.create(
                        {
                            "line_type": "labour",
                            "product_id": self.labour.id,
                            "quantity": hours,
                        }
                    ),
                ]
            }
        )
        return visit

    # -- scheduling ------------------------------------------------------

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_schedule_refuses_bad_windows_and_changes_nothing(self):
        evening = self._visit(start="2026-11-23 16:00:00")
        with self.assertRaisesRegex(UserError, "outside the opening hours"):
            evening.action_schedule()
        self.assertEqual(evening.state, "draft")
        first = self._visit()
        first.action_schedule()
        overlapping = self._visit(start="2026-11-23 10:00:00")
        with self.assertRaisesRegex(UserError, "already has visit"):
            overlapping.action_schedule()
        self.assertEqual(overlapping.state, "draft")
        # Moving a scheduled visit onto another one is refused too.
        other = self._visit(start="2026-11-23 13:00:00")
        other.action_schedule()
        with self.assertRaisesRegex(UserError, "already has visit"):
            other.write({"appointment_start": "2026-11-23 09:30:00"})

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_outlet_open_around_the_clock_takes_a_visit_across_midnight(self):
        self.outlet.resource_calendar_id = self.calendar_24x7
        night = self._visit(start="2026-11-23 23:00:00")
        night.action_schedule()
        self.assertEqual(night.state, "scheduled")
        self.outlet.resource_calendar_id = self.calendar_office
        late = self._visit(start="2026-11-24 16:00:00")
        with self.assertRaisesRegex(UserError, "outside the opening hours"):
            late.action_schedule()

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_schedule_refuses_technician_without_valid_certification(self):
        self.env["css.certification"].search(
            [("user_id", "=", self.tech_a.id), ("skill_id", "=", self.skill_washer.id)]
        ).date_expiry = "2026-11-22"
        visit = self._visit()
        with self.assertRaisesRegex(UserError, "holds no valid certification"):
            visit.action_schedule()
        stranger = self.dispatcher
        visit.technician_id = stranger
        with self.assertRaisesRegex(UserError, "not a technician of outlet"):
            visit.action_schedule()

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_state_flow_is_idempotent_and_refuses_wrong_states(self):
        visit = self._visit()
        with self.assertRaisesRegex(UserError, "cannot be started"):
            visit.action_start()
        self._run_to_site(visit)
        visit.action_start()
        self.assertEqual(visit.state, "on_site")
        self.assertTrue(visit.date_start)
        with self.assertRaisesRegex(UserError, "work report and the time"):
            visit.action_done()
        visit.work_report = "<p>Fixed</p>"
        with self.assertRaisesRegex(UserError, "work report and the time"):
            visit.action_done()
        self.assertEqual(visit.state, "on_site")
        self._complete(visit)
        self.assertEqual(visit.state, "done")
        done_at = visit.date_done
        visit.action_done()
        self.assertEqual(visit.date_done, done_at, "done once only")
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            visit.action_cancel()
        draft = self._visit(start="2026-11-24 09:00:00")
        draft.action_cancel()
        draft.action_cancel()
        self.assertEqual(draft.state, "cancelled")
        with self.assertRaisesRegex(UserError, "cannot be scheduled"):
            draft.action_schedule()

    # -- coverage, invoice, stock ---------------------------------------

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_charged_visit_invoiced_at_outlet_prices(self):
        visit = self._lines(self._visit(), pumps=2.0, hours=1.5)
        part, labour = visit.line_ids
        self.assertEqual(part.coverage_reason, "none")
        self.assertAlmostEqual(part.price_unit, 90.0, msg="list price less 10%")
        self.assertAlmostEqual(part.amount_charged, 180.0)
        self.assertAlmostEqual(labour.amount_charged, 108.0)
        self.assertAlmostEqual(
            visit.amount_charged, 288.0, msg="shown before the visit"
        )
        self._complete(self._run_to_site(visit))
        invoice = visit.invoice_id
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertAlmostEqual(invoice.amount_untaxed, 288.0)
        # The parts left the outlet's location for the customer's.
        move = visit.move_ids
        self.assertEqual(move.product_id, self.pump)
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_id, self.location)
        self.assertEqual(move.location_dest_id.usage, "customer")
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.pump, self.location),
            3.0,
        )
        # ... in one done delivery of the outlet's warehouse, labour not in it.
        picking = visit.picking_id
        self.assertEqual(picking.move_ids, move)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            picking.picking_type_id, self.location.warehouse_id.out_type_id
        )
        self.assertEqual(picking.location_id, self.location)
        self.assertEqual(picking.partner_id, self.customer)
        self.assertEqual(picking.origin, visit.name)
        # Completing again moves and invoices nothing twice.
        visit.action_done()
        self.assertEqual(visit.invoice_id, invoice)
        self.assertEqual(visit.picking_id, picking)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.pump, self.location),
            3.0,
        )
        # Prices stay as invoiced when the pricelist changes afterwards.
        self.pricelist.item_ids.percent_price = 50.0
        self.assertAlmostEqual(part.price_unit, 90.0)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            part.with_user(self.dispatcher).quantity = 3.0

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_warranty_covers_everything_and_no_invoice(self):
        case = self._new_case(asset_id=self.asset.id)
        visit = self._lines(self._visit(case=case))
        self.assertEqual(set(visit.line_ids.mapped("coverage_reason")), {"warranty"})
        self.assertEqual(visit.amount_charged, 0.0)
        self.assertAlmostEqual(visit.amount_covered, 162.0)
        self._complete(self._run_to_site(visit))
        self.assertFalse(visit.invoice_id, "nothing to invoice")
        self.assertTrue(visit.move_ids, "the parts still leave the outlet")

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_contract_covers_parts_only(self):
        contract = self.env["css.contract"].create(
            {
                "partner_id": self.customer.id,
                "asset_ids": [Command.set(self.old_asset.ids)],
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "covers_parts": True,
                "covers_labour": False,
            }
        )
        contract.action_start()
        visit = self._lines(self._visit())
        self.assertEqual(visit.contract_id, contract)
        part, labour = visit.line_ids
        self.assertEqual(
            (part.coverage_reason, labour.coverage_reason), ("contract", "none")
        )
        self.assertAlmostEqual(visit.amount_charged, 72.0)
        self._complete(self._run_to_site(visit))
        self.assertEqual(visit.invoice_id.invoice_line_ids.product_id, self.labour)
        self.assertEqual(contract.visits_used, 1)

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_parts_not_in_stock_refused_unless_a_dispatcher_forces(self):
        visit = self._lines(self._visit(), pumps=6.0)
        self._run_to_site(visit)
        visit.write({"work_report": "<p>Pump replaced</p>", "time_spent": 1.0})
        with self.assertRaisesRegex(UserError, "holds 5.0"):
            visit.action_done()
        self.assertEqual(visit.state, "on_site")
        self.assertFalse(visit.move_ids)
        self.assertFalse(visit.invoice_id)
        with self.assertRaises(AccessError):
            visit.with_user(self.tech_a).action_force_done()
        visit.with_user(self.dispatcher).action_force_done()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.parts_forced)
        self.assertIn("without checking the parts", visit.message_ids[1].body)
        # The six pumps left the outlet all the same.
        self.assertEqual(visit.picking_id.state, "done")
        self.assertEqual(visit.picking_id.move_ids.quantity, 6.0)

    # -- first-time fix ----------------------------------------------------

    def _fix_and_resolve(self, case, start):
        with freeze_time(start):
            visit = self._complete(
                self._run_to_site(self._visit(case=case, start=start))
            )
            case.write({"fault_code_id": self.fault.id})
            case.action_resolve()
        return visit

    def test_first_time_fix_and_the_30_day_repeat(self):
        case = self._new_case(asset_id=self.old_asset.id)
        visit = self._fix_and_resolve(case, "2026-11-23 09:00:00")
        self.assertTrue(visit.first_time_fix)
        # A new case on the same product 20 days later spoils it.
        with freeze_time("2026-12-13 08:00:00"):
            repeat = self._new_case(
                asset_id=self.old_asset.id, reported_date="2026-12-13 08:00:00"
            )
        self.assertFalse(visit.first_time_fix)
        repeat.active = False
        repeat.unlink()
        self.assertTrue(visit.first_time_fix)
        # One 40 days later does not.
        self._new_case(asset_id=self.old_asset.id, reported_date="2027-01-05 08:00:00")
        self.assertTrue(visit.first_time_fix)
        # Reopening the case within the 30 days does.
        with freeze_time("2026-12-01 08:00:00"):
            case.action_reopen()
        self.assertFalse(visit.first_time_fix)

    def test_reopening_spoils_the_fix_within_30_days_only(self):
        for start, days, holds in (
            ("2026-11-23 09:00:00", 29, False),
            ("2026-11-24 09:00:00", 31, True),
        ):
            with self.subTest(days=days):
                case = self._new_case()
                visit = self._fix_and_resolve(case, start)
                self.assertTrue(visit.first_time_fix)
                reopened = visit.date_done + timedelta(days=days)
                with freeze_time(reopened):
                    case.action_reopen()
                self.assertEqual(visit.date_reopened, reopened)
                self.assertEqual(visit.first_time_fix, holds)
                # A second reopening moves nothing: the first one counts.
                case.action_resolve()
                with freeze_time(reopened + timedelta(days=3)):
                    case.action_reopen()
                self.assertEqual(visit.date_reopened, reopened)
                self.assertEqual(visit.first_time_fix, holds)

    def test_a_repeat_visit_spoils_the_fix_within_30_days_only(self):
        for day, days, holds in (("2026-11-23", 29, False), ("2026-11-24", 31, True)):
            with self.subTest(days=days):
                case = self._new_case()
                with freeze_time(f"{day} 06:00:00"):
                    first = self._complete(
                        self._run_to_site(self._visit(case=case, start=f"{day} 09:00"))
                    )
                again = (first.date_done + timedelta(days=days)).replace(hour=13)
                second = self._fix_and_resolve(case, again)
                self.assertEqual(first.first_time_fix, holds)
                self.assertEqual(second.first_time_fix, holds)

    def test_two_visits_are_no_first_time_fix(self):
        case = self._new_case(asset_id=self.old_asset.id)
        with freeze_time(self.MONDAY):
            first = self._complete(self._run_to_site(self._visit(case=case)))
        second = self._fix_and_resolve(case, "2026-11-24 09:00:00")
        self.assertFalse(first.first_time_fix)
        self.assertFalse(second.first_time_fix)

    # -- certifications ----------------------------------------------------

    def test_expiry_reminder_cron_is_idempotent(self):
        cert = self.certify(self.tech_a, self.skill_washer, expiry="2026-12-10")
        certs = cert | self.certify(self.tech_b, self.skill_washer, expiry="2027-06-30")
        activity_type = self.env.ref(
            "crm_haier_css.mail_activity_type_css_certification_expiry"
        )
        Cert = self.env["css.certification"]
        with freeze_time("2026-11-23"):
            Cert._cron_remind_expiry()
            Cert._cron_remind_expiry()
        mine = [
            ("activity_type_id", "=", activity_type.id),
            ("res_id", "in", certs.ids),
        ]
        activities = self.env["mail.activity"].search(mine)
        self.assertEqual(activities.res_id, cert.id)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager)
        # A renewed certificate is reminded again before its new expiry.
        cert.date_expiry = "2027-12-10"
        self.assertFalse(cert.expiry_reminder_date)
        with freeze_time("2027-11-20"):
            Cert._cron_remind_expiry()
        self.assertEqual(self.env["mail.activity"].search_count(mine), 2)

    @freeze_time(FieldServiceCommon.MONDAY)
    def test_technician_signs_on_his_screen(self):
        visit = self._complete(self._run_to_site(self._visit()))
        signature = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
        visit.with_user(self.tech_a).write({"signature": signature})
        self.assertEqual(visit.signed_by, self.customer.name)
        self.assertEqual(visit.signed_on, fields.Datetime.now())
        self.assertTrue(visit.first_time_fix is False)
        self.assertEqual(visit.duration, 2.0)
        self.assertEqual(
            visit.appointment_end - visit.appointment_start, timedelta(hours=2)
        )
