# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup, escape

from odoo import fields, models

from .ir_qweb import COMPILED_CONTEXT_KEY


class AgingReminderLog(models.Model):
    _name = "aging.reminder.log"
    _description = "Reminder Log"
    _order = "date desc, id desc"
    _inherit = ["aging.reminder.mixin"]
    _rec_name = "partner_id"

    partner_id = fields.Many2one(readonly=True)
    company_id = fields.Many2one(readonly=True)
    level_id = fields.Many2one(readonly=True)
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    move_ids = fields.Many2many(
        relation="aging_reminder_log_move_rel",
        column1="log_id",
        column2="move_id",
        readonly=True,
    )
    channel = fields.Selection(
        [("email", "E-mail"), ("letter", "Letter"), ("phone", "Phone call")],
        required=True,
        readonly=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    state = fields.Selection(
        [
            ("sent", "Sent"),
            ("to_print", "To print"),
            ("printed", "Printed"),
            ("to_call", "To call"),
        ],
        required=True,
        default="sent",
        readonly=True,
    )
    note = fields.Char(readonly=True)
    mail_id = fields.Many2one("mail.mail", "E-mail", readonly=True)

    def action_print_letter(self):
        """Print the reminder letters and mark them printed (collectors)."""
        self.env["aging.reminder.policy"]._check_collector()
        self.check_access("read")
        # Logs are the application's record of what was sent: only it writes them.
        self.sudo().filtered(lambda log: log.state == "to_print").state = "printed"
        return self.env.ref(
            "crm_receivables_aging.action_report_reminder_letter"
        ).report_action(self)

    def _dispatch(self):
        """Deliver these new reminders on their channel, apply the escalations
        and note them in the customers' chatter, in batch."""
        self._send_emails(self.filtered(lambda log: log.channel == "email"))
        self.filtered(lambda log: log.channel == "letter").sudo().state = "to_print"
        phone = self.filtered(lambda log: log.channel == "phone")
        phone.sudo().state = "to_call"
        self._schedule_activities(
            phone, "mail.mail_activity_data_call", self.env._("Collection call")
        )
        self._schedule_activities(
            self.filtered(lambda log: log.level_id.escalation == "activity"),
            "mail.mail_activity_data_todo",
            self.env._("Follow up overdue invoices"),
        )
        self.filtered(
            lambda log: log.level_id.escalation == "credit_hold"
        ).partner_id.sudo().aging_manual_hold = True
        self.partner_id._message_log_batch(
            {log.partner_id.id: log._chatter_body() for log in self}
        )

    def _chatter_body(self):
        channel = dict(self._fields["channel"].selection)[self.channel]
        body = Markup("%s: %s (%s)") % (
            self.level_id.name,
            ", ".join(self.move_ids.mapped("name")),
            channel,
        )
        if self.note:
            body += Markup("<br/>") + escape(self.note)
        return body

    def _send_emails(self, logs):
        sent = []
        # Mail's rendering, with each template compiled once per language of
        # the batch instead of once per customer (see ir.qweb._compile).
        templates = logs.level_id.mail_template_id.with_context(
            **{COMPILED_CONTEXT_KEY: {}}
        )
        for template in templates:
            template_logs = logs.filtered(
                lambda log, t=template: log.level_id.mail_template_id == t
            )
            # One rendering per language of the customers.
            for lang_template, log_ids in template._classify_per_lang(
                template_logs.ids
            ).values():
                sent += self._render_emails(lang_template, self.browse(log_ids))
        mails = self.env["mail.mail"].sudo().create([vals for _log, vals in sent])
        for (log, _vals), mail in zip(sent, mails, strict=True):
            log.sudo().mail_id = mail

    def _render_emails(self, template, logs):
        """(log, mail.mail values) of these logs rendered with the template."""
        rendered = template._generate_template(
            logs.ids, ["subject", "email_from", "reply_to", "body_html"]
        )
        emails = []
        for log in logs:
            values = rendered[log.id]
            email_from = values.get("email_from") or log.company_id.email_formatted
            emails.append(
                (
                    log,
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "email_from": email_from,
                        # Given, it spares mail a reply-to lookup per message.
                        "reply_to": values.get("reply_to") or email_from,
                        "recipient_ids": [fields.Command.link(log.partner_id.id)],
                        "model": "res.partner",
                        "res_id": log.partner_id.id,
                        "auto_delete": template.auto_delete,
                    },
                )
            )
        return emails

    def _schedule_activities(self, logs, activity_xmlid, summary):
        if not logs:
            return
        activity_type = self.env.ref(activity_xmlid)
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": log.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": log._chatter_body(),
                    "user_id": log.partner_id.user_id.id or self.env.uid,
                    "date_deadline": today,
                }
                for log in logs
            ]
        )
