# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestAccessRules(AgingCommon):
    """Who may do what, called as each role through the ORM (the RPC path)."""

    @classmethod
    def default_env_context(cls):
        # Changes of the exclusions and holds are logged by the chatter tracking.
        return {"mail_create_nolog": True, "no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.invoice = cls._invoice(cls.customer, cls.today - timedelta(days=70), 900.0)
        common = "base.group_partner_manager,account.group_account_invoice"
        cls.salesman = new_test_user(
            cls.env,
            login="rules_salesman",
            groups=f"sales_team.group_sale_salesman,{common}",
            company_id=cls.company.id,
        )
        cls.collector = new_test_user(
            cls.env,
            login="rules_collector",
            groups=f"crm_receivables_aging.group_aging_collector,{common}",
            company_id=cls.company.id,
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="rules_credit_manager",
            groups=f"crm_receivables_aging.group_aging_credit_manager,{common}",
            company_id=cls.company.id,
        )

    def _flush_tracking(self):
        """Log the pending tracking in the chatter, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _tracked(self, record, field_name):
        """Values the chatter tracked for the field, newest first."""
        self._flush_tracking()
        return record.message_ids.sudo().tracking_value_ids.filtered(
            lambda value: value.field_id.name == field_name
        )

    # Exclusions: dispute and promise to pay -------------------------------

    def test_salesperson_may_not_silence_reminders(self):
        far = self.today + timedelta(days=30)
        for record in (self.customer, self.invoice):
            as_salesman = record.with_user(self.salesman)
            with self.assertRaisesRegex(AccessError, "Collector"):
                as_salesman.write({"aging_dispute": True})
            with self.assertRaisesRegex(AccessError, "Collector"):
                as_salesman.write({"aging_promise_date": far})
            self.assertFalse(record.aging_dispute)
            self.assertFalse(record.aging_promise_date)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Silent Ltd", "aging_dispute": True}
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Silent Ltd")]))

    def test_salesperson_still_edits_the_customer(self):
        """Other fields, and the exclusions written back unchanged (a form saved
        whole, an import), stay open to whoever may edit the customer."""
        self.customer.with_user(self.salesman).write(
            {"phone": "+86 532 8893 9999", "aging_dispute": False}
        )
        self.assertEqual(self.customer.phone, "+86 532 8893 9999")
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "New Shop", "aging_dispute": False})
        )
        self.assertFalse(partner.aging_dispute)

    def test_collector_sets_exclusions_logged_in_chatter(self):
        self._flush_tracking()
        promise = self.today + timedelta(days=20)
        self.customer.with_user(self.collector).write(
            {"aging_dispute": True, "aging_promise_date": promise}
        )
        self.invoice.with_user(self.collector).aging_dispute = True
        self.assertTrue(self.customer.aging_dispute)
        self.assertEqual(self.customer.aging_promise_date, promise)
        self.assertTrue(self._tracked(self.customer, "aging_dispute"))
        self.assertTrue(self._tracked(self.customer, "aging_promise_date"))
        self.assertTrue(self._tracked(self.invoice, "aging_dispute"))
        self.assertEqual(
            self._tracked(self.customer, "aging_dispute")[0].create_uid,
            self.collector,
        )

    def test_promise_to_pay_within_the_horizon(self):
        self.assertEqual(self.company.aging_promise_max_days, 90)
        for record in (self.customer, self.invoice):
            for user in (self.collector, self.credit_manager):
                with self.assertRaisesRegex(UserError, "at most 90 days"):
                    record.with_user(user).aging_promise_date = "2099-12-31"
            self.assertFalse(record.aging_promise_date)
        with self.assertRaisesRegex(UserError, "at most 90 days"):
            self.env["res.partner"].with_user(self.collector).create(
                {"name": "Later Ltd", "aging_promise_date": "2099-12-31"}
            )
        latest = self.today + timedelta(days=90)
        self.customer.with_user(self.collector).aging_promise_date = latest
        self.assertEqual(self.customer.aging_promise_date, latest)
        # The horizon is a setting.
        self.company.aging_promise_max_days = 365
        later = self.today + timedelta(days=300)
        self.invoice.with_user(self.collector).aging_promise_date = later
        self.assertEqual(self.invoice.aging_promise_date, later)

    # Credit hold ----------------------------------------------------------

    def test_only_credit_manager_holds_and_lifts(self):
        self._flush_tracking()
        for user in (self.salesman, self.collector):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"aging_manual_hold": True})
        self.assertFalse(self.customer.aging_manual_hold)
        self.customer.with_user(self.credit_manager).aging_manual_hold = True
        self.assertTrue(self.customer.aging_manual_hold)
        self._flush_tracking()
        # A collector may not lift it either, even bundled with an allowed change.
        with self.assertRaisesRegex(AccessError, "Credit Manager"):
            self.customer.with_user(self.collector).write(
                {"aging_manual_hold": False, "aging_dispute": True}
            )
        self.assertTrue(self.customer.aging_manual_hold)
        self.assertFalse(self.customer.aging_dispute)
        # The refused call's transaction is rolled back, its tracking with it.
        self._flush_tracking()
        self.customer.with_user(self.credit_manager).aging_manual_hold = False
        self.assertFalse(self.customer.aging_manual_hold)
        tracked = self._tracked(self.customer, "aging_manual_hold")
        self.assertEqual(len(tracked), 2)
        self.assertEqual(tracked.create_uid, self.credit_manager)

    def test_company_settings_only_by_administrators(self):
        for user in (self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                self.company.with_user(user).write(
                    {"aging_credit_hold_days": 1000, "aging_promise_max_days": 9999}
                )
        self.assertEqual(self.company.aging_credit_hold_days, 60)
        self.assertEqual(self.company.aging_promise_max_days, 90)

    # What only the application writes ------------------------------------

    def test_reminder_level_of_an_invoice_is_the_engines(self):
        final = self.env["aging.reminder.level"].search(
            [("company_id", "=", self.company.id)], order="days desc", limit=1
        )
        for user in (self.salesman, self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                self.invoice.with_user(user).aging_reminder_level_id = final
        self.assertFalse(self.invoice.aging_reminder_level_id)

    def test_reminder_logs_are_the_applications(self):
        level = self.env["aging.reminder.level"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        Log = self.env["aging.reminder.log"]
        for user in (self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                Log.with_user(user).create(
                    {
                        "partner_id": self.customer.id,
                        "level_id": level.id,
                        "channel": "letter",
                        "move_ids": [Command.set(self.invoice.ids)],
                    }
                )
        self.assertFalse(Log.search([("partner_id", "=", self.customer.id)]))
        log = Log.sudo().create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "channel": "letter",
                "state": "to_print",
            }
        )
        for user in (self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                log.with_user(user).write({"state": "sent", "note": "Forged"})
        self.assertEqual(log.state, "to_print")
        with self.assertRaises(AccessError):
            log.with_user(self.salesman).action_print_letter()
        self.assertEqual(log.state, "to_print")
        log.with_user(self.collector).action_print_letter()
        self.assertEqual(log.state, "printed")

    # Reminders ------------------------------------------------------------

    def test_only_collectors_send_reminders(self):
        Wizard = self.env["aging.reminder.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.salesman).create(
                {"partner_ids": [Command.set(self.customer.ids)]}
            )
        wizard = Wizard.with_user(self.collector).create(
            {"partner_ids": [Command.set(self.customer.ids)]}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.salesman).action_preview()
        with self.assertRaises(AccessError):
            wizard.with_user(self.salesman).action_send()
        self.assertFalse(
            self.env["aging.reminder.log"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.partner_id, self.customer)
        wizard.action_send()
        log = self.env["aging.reminder.log"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(log.move_ids, self.invoice)
        self.assertEqual(log.create_uid, self.collector)

    def test_only_credit_managers_configure_policies_and_buckets(self):
        policy = self.env["aging.reminder.policy"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        bucket = self._bucket("1-30")
        for user in (self.salesman, self.collector):
            with self.assertRaises(AccessError):
                policy.with_user(user).write({"name": "Lenient"})
            with self.assertRaises(AccessError):
                policy.level_ids[:1].with_user(user).write({"days": 400})
            with self.assertRaises(AccessError):
                bucket.with_user(user).write({"name": "Soon"})
        self.assertNotEqual(policy.name, "Lenient")
        policy.with_user(self.credit_manager).write({"name": "Firm reminders"})
        self.assertEqual(policy.name, "Firm reminders")

    def test_aging_only_for_collections_and_accounting(self):
        clerk = new_test_user(self.env, login="rules_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.aging.with_user(clerk).compute_aging()
        with self.assertRaises(AccessError):
            self.aging.with_user(clerk).create({}).action_view_items()
        rows = self.aging.with_user(self.collector).compute_aging(
            partner_ids=self.customer.ids
        )
        self.assertEqual(rows[0]["total"], 900.0)
        # The open items of a report are the report's: read only.
        report = self.aging.with_user(self.collector).create(
            {"partner_ids": [Command.set(self.customer.ids)]}
        )
        action = report.action_view_items()
        items = (
            self.env["aging.report.line"]
            .with_user(self.collector)
            .search(action["domain"])
        )
        self.assertEqual(sum(items.mapped("amount_residual")), 900.0)
        with self.assertRaises(AccessError):
            items.write({"amount_residual": 0.0})
        with self.assertRaises(AccessError):
            items.unlink()
        # Viewing again replaces them.
        report.action_view_items()
        self.assertEqual(
            len(self.env["aging.report.line"].search(action["domain"])), len(items)
        )

    def test_reminder_of_another_companys_level_is_refused(self):
        """Records pointing at another company's records are refused, even when
        the application writes them."""
        other = self.setup_other_company(name="Haier Qingdao")["company"]
        other_level = self.env["aging.reminder.level"].search(
            [("company_id", "=", other.id)], limit=1
        )
        with self.assertRaisesRegex(UserError, "compan"):
            self.env["aging.reminder.log"].sudo().create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "level_id": other_level.id,
                    "channel": "letter",
                }
            )
