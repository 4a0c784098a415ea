# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestFirstResponse(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_first_outgoing_reply_sets_first_response(self):
        case = self._new_case()
        self.assertFalse(case.first_response_date)
        with freeze_time("2026-11-20 09:30:00"):
            case.with_user(self.agent).message_post(
                body="We will check the drain pump.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            self.assertFalse(case.first_response_date, "an internal note is no answer")
            case.message_post(
                body="Any news?",
                author_id=self.customer.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(
                case.first_response_date, "the customer's own message is no answer"
            )
            case.with_user(self.agent).message_post(
                body="A technician comes tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(str(case.first_response_date), "2026-11-20 09:30:00")
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.response_hours, 1.5)
        with freeze_time("2026-11-20 11:00:00"):
            case.with_user(self.agent).message_post(
                body="Second answer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(str(case.first_response_date), "2026-11-20 09:30:00")

    def test_first_response_action(self):
        case = self._new_case()
        case.with_user(self.agent).action_first_response()
        self.assertTrue(case.first_response_date)
        self.assertEqual(case.state, "in_progress")

    def test_customer_answer_resumes_waiting_case(self):
        case = self._new_case()
        case.with_user(self.agent).action_wait()
        self.assertEqual(case.state, "waiting")
        case.message_post(
            body="Here is the photo",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(case.state, "in_progress")


@tagged("post_install", "-at_install")
class TestResolutionFollowUp(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        cls.company.css_callback_days = 3

    def test_resolution_schedules_callback_and_rating_request(self):
        case = self._new_case(fault_code_id=self.fault.id)
        with freeze_time("2026-11-20 10:00:00"):
            case.with_user(self.agent).action_resolve()
        self.assertEqual(case.state, "resolved")
        self.assertEqual(str(case.resolved_date), "2026-11-20 10:00:00")
        callback = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("crm_haier_css.mail_activity_type_css_callback")
            )
        )
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.user_id, self.agent)
        self.assertEqual(callback.date_deadline, date(2026, 11, 23))
        rating = case.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertFalse(rating.consumed)
        request = case.message_ids.filtered(
            lambda m: rating.access_token in (m.body or "")
        )
        self.assertEqual(len(request), 1)
        self.assertIn(self.customer, request.partner_ids)

    def test_repair_needs_fault_or_solution_to_resolve(self):
        case = self._new_case()
        with self.assertRaisesRegex(UserError, "fault code"):
            case.with_user(self.agent).action_resolve()
        self.assertEqual(case.state, "new")
        self.assertFalse(case.activity_ids)

    def test_close_only_resolved_and_reopen_only_done(self):
        case = self._new_case(fault_code_id=self.fault.id)
        with self.assertRaises(UserError):
            case.action_close()
        with self.assertRaises(UserError):
            case.action_reopen()
        case.action_resolve()
        case.action_close()
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.closed_date)
        with self.assertRaises(UserError):
            case.action_resolve()

    def test_one_star_rating_opens_a_complaint(self):
        case = self._new_case(fault_code_id=self.fault.id)
        case.action_resolve()
        token = case.rating_ids.access_token
        case.sudo().rating_apply(1, token=token, feedback="Technician never came")
        self.assertEqual(case.case_type, "complaint")
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.priority, "3")
        alert = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("crm_haier_css.mail_activity_type_css_escalation")
            )
        )
        self.assertEqual(alert.user_id, self.leader)
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: "Technician never came" in (m.body or "")
            )
        )

    def test_good_rating_changes_nothing(self):
        case = self._new_case(fault_code_id=self.fault.id)
        case.action_resolve()
        case.sudo().rating_apply(5, token=case.rating_ids.access_token)
        self.assertEqual(case.case_type, "repair")
        self.assertEqual(case.state, "resolved")
        self.assertEqual(case.rating_last_value, 5)

    def test_suggested_solutions_follow_product_and_fault(self):
        by_fault = self.env["css.solution"].create(
            {"name": "Clean the drain filter", "fault_code_ids": [self.fault.id]}
        )
        by_category = self.env["css.solution"].create(
            {"name": "Level the machine", "product_category_ids": [self.categ.id]}
        )
        unrelated = self.env["css.solution"].create({"name": "Defrost the freezer"})
        case = self._new_case(asset_id=self.asset.id)
        self.assertIn(by_category, case.suggested_solution_ids)
        self.assertNotIn(by_fault, case.suggested_solution_ids)
        case.fault_code_id = self.fault
        self.assertEqual(case.suggested_solution_ids[:1], by_fault)
        self.assertNotIn(unrelated, case.suggested_solution_ids)
        by_fault.with_context(css_case_id=case.id).action_apply_to_case()
        self.assertEqual(case.solution_id, by_fault)
