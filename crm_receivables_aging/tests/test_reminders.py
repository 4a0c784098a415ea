# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.models.ir_qweb import IrQWeb as BaseIrQweb
from odoo.addons.crm_receivables_aging.models import aging_reminder_policy
from odoo.addons.crm_receivables_aging.models.ir_qweb import COMPILED_CONTEXT_KEY

from .common import AgingCommon

DUE = date(2024, 5, 1)


@tagged("post_install", "-at_install")
class TestReminders(AgingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["aging.reminder.policy"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.levels = {level.days: level for level in cls.policy.level_ids}
        cls.Log = cls.env["aging.reminder.log"]

    def _run_cron(self, day):
        with freeze_time(day):
            self.env["aging.reminder.policy"]._cron_send_reminders()
        return self.Log.search([("partner_id", "in", self._partners().ids)])

    def _partners(self):
        return self.customer + self.other_customer

    def test_cron_twice_sends_once_grouped_per_customer(self):
        first = self._invoice(self.customer, DUE, 100.0)
        second = self._invoice(self.customer, DUE - timedelta(days=2), 200.0)
        third = self._invoice(self.other_customer, DUE, 400.0)
        logs = self._run_cron(DUE + timedelta(days=8))
        self.assertEqual(len(logs), 2)
        mine = logs.filtered(lambda log: log.partner_id == self.customer)
        self.assertEqual(mine.move_ids, first + second)
        self.assertEqual(mine.level_id, self.levels[7])
        self.assertEqual(mine.channel, "email")
        self.assertEqual(mine.state, "sent")
        self.assertIn(first.name, mine.mail_id.body_html)
        self.assertIn(second.name, mine.mail_id.body_html)
        self.assertEqual(mine.mail_id.recipient_ids, self.customer)
        self.assertEqual(
            (first + second + third).aging_reminder_level_id, self.levels[7]
        )
        self.assertIn(first.name, self.customer.message_ids[0].body)
        # Same day, again: nothing new.
        self.assertEqual(self._run_cron(DUE + timedelta(days=8)), logs)
        # Next day, still level 7: nothing new either.
        self.assertEqual(self._run_cron(DUE + timedelta(days=9)), logs)

    def test_escalates_level_by_level(self):
        invoice = self._invoice(self.customer, DUE, 100.0)
        expected = [(-3, -3), (7, 7), (30, 30), (60, 60), (90, 90)]
        for offset, level_days in expected:
            logs = self._run_cron(DUE + timedelta(days=offset))
            self.assertEqual(logs[0].level_id, self.levels[level_days])
            self.assertEqual(invoice.aging_reminder_level_id, self.levels[level_days])
        self.assertEqual(len(logs), 5)
        by_days = {log.level_id.days: log for log in logs}
        self.assertEqual(by_days[60].channel, "letter")
        self.assertEqual(by_days[60].state, "to_print")
        self.assertTrue(self.customer.aging_manual_hold)  # 60: credit hold
        self.assertEqual(by_days[90].channel, "phone")
        self.assertEqual(by_days[90].state, "to_call")
        activity_types = self.customer.activity_ids.activity_type_id
        self.assertIn(self.env.ref("mail.mail_activity_data_call"), activity_types)
        self.assertIn(self.env.ref("mail.mail_activity_data_todo"), activity_types)

    def test_late_start_sends_only_the_reached_level(self):
        invoice = self._invoice(self.customer, DUE, 100.0)
        logs = self._run_cron(DUE + timedelta(days=35))
        self.assertEqual(logs.level_id, self.levels[30])
        self.assertEqual(invoice.aging_reminder_level_id, self.levels[30])

    def test_exclusions(self):
        disputed = self._invoice(self.customer, DUE, 100.0)
        disputed.aging_dispute = True
        promised = self._invoice(self.customer, DUE, 200.0)
        promised.aging_promise_date = DUE + timedelta(days=20)
        self._invoice(self.other_customer, DUE, 300.0)
        self.other_customer.aging_dispute = True
        self.assertFalse(self._run_cron(DUE + timedelta(days=8)))
        # Once the promise date is past, the invoice is reminded.
        logs = self._run_cron(DUE + timedelta(days=21))
        self.assertEqual(logs.move_ids, promised)

    def test_no_email_falls_back_to_letter(self):
        self.customer.email = False
        self._invoice(self.customer, DUE, 100.0)
        logs = self._run_cron(DUE + timedelta(days=8))
        self.assertEqual(logs.channel, "letter")
        self.assertEqual(logs.state, "to_print")
        self.assertIn("no e-mail", logs.note)
        self.assertFalse(logs.mail_id)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "crm_receivables_aging.action_report_reminder_letter", logs.ids
            )[0]
            .decode()
        )
        self.assertIn(logs.move_ids.name, html)
        logs.action_print_letter()
        self.assertEqual(logs.state, "printed")

    def test_email_level_needs_a_template(self):
        with self.assertRaisesRegex(ValidationError, "template"):
            self.env["aging.reminder.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Without template",
                    "days": 15,
                    "channel": "email",
                }
            )

    def test_preview_and_send_wizard(self):
        invoice = self._invoice(self.customer, DUE, 100.0)
        self._invoice(self.other_customer, DUE, 300.0)
        with freeze_time(DUE + timedelta(days=8)):
            wizard = self.env["aging.reminder.wizard"].create(
                {"partner_ids": [(6, 0, self.customer.ids)]}
            )
            wizard.action_preview()
            self.assertEqual(wizard.line_ids.partner_id, self.customer)
            self.assertEqual(wizard.line_ids.move_ids, invoice)
            self.assertIn(invoice.name, wizard.line_ids.body_preview)
            self.assertFalse(self.Log.search([("partner_id", "=", self.customer.id)]))
            wizard.action_send()
            log = self.Log.search([("partner_id", "=", self.customer.id)])
            self.assertEqual(log.move_ids, invoice)
            # Sending the same preview twice sends nothing more.
            wizard.action_send()
            self.assertEqual(
                self.Log.search([("partner_id", "=", self.customer.id)]), log
            )

    def test_query_count_does_not_grow_with_customers(self):
        """Sending is batched: five customers cost the queries of two."""
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "email": f"c{n}@example.com"} for n in range(8)]
        )
        for customer in customers:
            self._invoice(customer, DUE, 100.0)
            self._invoice(customer, DUE - timedelta(days=40), 100.0)
        policy = self.env["aging.reminder.policy"]
        counts = []
        with freeze_time(DUE + timedelta(days=8)):
            # The first batch also loads templates, activity types and the like.
            for batch in (customers[:1], customers[1:3], customers[3:]):
                groups = policy._get_reminder_candidates(self.company, batch.ids)
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                policy._send_reminders(groups)
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(len(self.Log.search([("partner_id", "in", customers.ids)])), 8)
        self.assertEqual(counts[2], counts[1])

    def test_reminder_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_receivables_aging"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        self._invoice(self.customer, DUE, 100.0)
        self._invoice(self.other_customer, DUE, 100.0)
        logs = self._run_cron(DUE + timedelta(days=8))
        chinese = logs.filtered(lambda log: log.partner_id == self.customer)
        self.assertIn("根据我们的记录，以下发票已逾期", chinese.mail_id.body_html)
        english = logs - chinese
        self.assertIn("the following invoices are overdue", english.mail_id.body_html)

    def _customers(self, count, prefix="Batch customer"):
        customers = self.env["res.partner"].create(
            [
                {"name": f"{prefix} {n}", "email": f"b{n}@example.com"}
                for n in range(count)
            ]
        )
        for customer in customers:
            self._invoice(customer, DUE, 100.0)
            self._invoice(customer, DUE - timedelta(days=40), 100.0)
        return customers

    def test_batch_query_count_pinned(self):
        """A batch costs a fixed number of queries, two customers or six: no
        query per customer to render, send, log or note in the chatter."""
        customers = self._customers(9)
        policy = self.env["aging.reminder.policy"]
        with freeze_time(DUE + timedelta(days=8)):
            batches = (customers[:1], customers[1:3], customers[3:])
            groups = [
                policy._get_reminder_candidates(self.company, batch.ids)
                for batch in batches
            ]
            # The first batch also loads templates, activity types and the like.
            policy._send_reminders(groups[0])
            for batch_groups in groups[1:]:
                self.env.invalidate_all()
                with self.assertQueryCount(37):
                    policy._send_reminders(batch_groups)
        logs = self.Log.search([("partner_id", "in", customers.ids)])
        self.assertEqual(logs.partner_id, customers)
        self.assertEqual(len(logs.mail_id), 9)
        for customer in customers:
            self.assertIn("Second reminder", customer.message_ids[0].body)

    def test_template_compiled_once_per_language(self):
        """The reminder template is compiled once per language of a batch, not
        once per customer, and renders what mail renders for each of them."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_receivables_aging"], ["zh_CN"], overwrite=True
        )
        customers = self._customers(4)
        customers[:2].lang = "zh_CN"
        policy = self.env["aging.reminder.policy"]
        with freeze_time(DUE + timedelta(days=8)):
            groups = policy._get_reminder_candidates(self.company, customers.ids)
            with patch.object(
                BaseIrQweb, "_compile", autospec=True, side_effect=BaseIrQweb._compile
            ) as compile_:
                logs = policy._send_reminders(groups)
            self.assertEqual(compile_.call_count, 2)
            self.assertEqual(len(logs.mail_id), 4)
            template = self.env.ref(
                "crm_receivables_aging.mail_template_reminder_overdue"
            )
            for log in logs:
                # What mail would render for this log alone, in its language.
                expected = template.with_context(lang=log.partner_id.lang or "en_US")
                expected = expected._render_field("body_html", log.ids)[log.id]
                self.assertEqual(log.mail_id.body_html, expected)
                self.assertIn(log.move_ids[0].name, log.mail_id.body_html)
            chinese = logs.filtered(lambda log: log.partner_id.lang == "zh_CN")
            self.assertEqual(chinese.partner_id, customers[:2])
            for log in chinese:
                self.assertIn("根据我们的记录，以下发票已逾期", log.mail_id.body_html)

    def test_cron_batches_customers(self):
        """The cron sends a batch of customers per call and reports the customers
        left, which it sends on the next calls, each once."""
        customers = self._customers(3)
        cron = self.env.ref("crm_receivables_aging.ir_cron_send_reminders")
        policy = self.env["aging.reminder.policy"]
        calls = []
        with (
            freeze_time(DUE + timedelta(days=8)),
            patch.object(aging_reminder_policy, "CRON_BATCH_SIZE", 2),
        ):
            # As Odoo's cron runner: call again while work remains.
            while not calls or (calls[-1][0] and calls[-1][1]):
                self.assertLess(len(calls), 20)
                _cron, progress = cron._add_progress()
                policy.with_context(
                    ir_cron_progress_id=progress.id
                )._cron_send_reminders()
                calls.append((progress.done, progress.remaining))
        # Other customers (demo data) may have reminders due as well.
        total = calls[0][0] + calls[0][1]
        self.assertGreaterEqual(total, 3)
        self.assertGreater(len(calls), 1)
        for index, (done, remaining) in enumerate(calls):
            self.assertEqual(done, min(2, total))
            total -= done
            self.assertEqual(remaining, total, f"call {index}")
        logs = self.Log.search([("partner_id", "in", customers.ids)])
        self.assertEqual(logs.partner_id, customers)
        self.assertEqual(len(logs), 3)


@tagged("post_install", "-at_install")
class TestReminderRendering(AgingCommon):
    """The reminders render through mail's public path (``_render_field``), its
    restricted-editor checks included; compiling once per batch changes none of
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = "base.group_partner_manager,account.group_account_invoice"
        cls.collector = new_test_user(
            cls.env,
            login="render_collector",
            groups=f"crm_receivables_aging.group_aging_collector,{common}",
            company_id=cls.company.id,
        )
        cls.editor = new_test_user(
            cls.env,
            login="render_editor",
            groups=(
                "crm_receivables_aging.group_aging_collector,"
                f"mail.group_mail_template_editor,{common}"
            ),
            company_id=cls.company.id,
        )
        cls.template = cls.env.ref(
            "crm_receivables_aging.mail_template_reminder_overdue"
        )
        cls._invoice(cls.customer, DUE, 100.0)
        cls.policy = cls.env["aging.reminder.policy"]

    def _send(self, user):
        policy = self.policy.with_user(user)
        with freeze_time(DUE + timedelta(days=8)):
            groups = policy._get_reminder_candidates(self.company, self.customer.ids)
            return policy._send_reminders(groups)

    def test_collector_sends_editor_template(self):
        """A collector who may not edit templates sends the reminders of the
        template an editor wrote: mail renders templates unrestricted, their
        code being checked when they are written."""
        logs = self._send(self.collector)
        self.assertEqual(logs.partner_id, self.customer)
        self.assertIn("the following invoices are overdue", logs.mail_id.body_html)

    def test_non_editor_cannot_write_template_code(self):
        """Mail's check of who writes template code applies to the reminder
        templates: a collector cannot put code in a reminder body."""
        body = '<div><t t-out="object.partner_id.sudo().credit"/></div>'
        with self.assertRaises(AccessError):
            self.template.with_user(self.collector).body_html = body
        self.template.with_user(self.editor).body_html = body
        self.assertIn("credit", self.template.body_html)

    def test_restricted_rendering_never_reuses_unrestricted_compilation(self):
        """Where mail renders restricted (a non-editor, code in the template), a
        template compiled for an editor in the same batch is not reused: mail's
        restricted check still refuses the code."""
        logs = self._send(self.editor)
        compiled = {}
        template = self.template.with_context(**{COMPILED_CONTEXT_KEY: compiled})
        MailTemplate = type(self.env["mail.template"])
        # A restricted rendering writes its option into the render options of
        # the field itself (mail's _render_field updates them in place), which
        # every later rendering of the process would then refuse: restore them.
        body_options = self.env["mail.template"]._fields["body_html"].render_options
        with (
            patch.dict(body_options),
            patch.object(MailTemplate, "_unrestricted_rendering", False),
        ):
            body = template.with_user(self.editor)._render_field("body_html", logs.ids)[
                logs.id
            ]
            self.assertIn("the following invoices are overdue", body)
            self.assertEqual(len(compiled), 1)
            # Same source, same batch, restricted this time.
            with self.assertRaises(AccessError):
                template.with_user(self.collector)._render_field("body_html", logs.ids)
