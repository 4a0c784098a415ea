# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import html
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import safe_eval

from odoo.addons.base.models.ir_qweb import QWebException


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
        for template in logs.level_id.mail_template_id:
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
            logs.ids, ["subject", "email_from", "reply_to"]
        )
        bodies = self._render_bodies(template, logs)
        emails = []
        for log in logs:
            values = rendered[log.id]
            values["body_html"] = bodies[log.id]
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

    def _render_bodies(self, template, logs):
        """{log id: body} of the template for these logs, as the template's
        ``_render_field("body_html", ...)`` renders it, but compiled once for all
        of them: Odoo compiles a raw QWeb template again for each record, which
        costs more than the rendering itself. Rendered in the template's
        language, as mail does."""
        template_src = template.body_html
        if not logs or not template._has_unsafe_expression_template_qweb(
            template_src, self._name
        ):
            # Empty, or plain field paths that mail renders without QWeb.
            return template._render_field("body_html", logs.ids)
        variables = template._render_eval_context()
        # The options mail renders the body with (post-processing of links).
        options = dict(template._fields["body_html"].render_options)
        if (
            not template._unrestricted_rendering
            and not template.env.is_admin()
            and not template.env.user.has_group("mail.group_mail_template_editor")
        ):
            options["raise_on_forbidden_code_for_model"] = self._name
        qweb = template.env["ir.qweb"].with_context(**options)
        element = html.fragment_fromstring(template_src, create_parent="div")
        functions = def_name = None
        rendered = {}
        for log in logs.with_env(template.env):
            values = dict(variables, object=log)
            log_qweb = qweb._prepare_environment(values)
            safe_eval.check_values(values)
            try:
                if functions is None:
                    functions, def_name = log_qweb._compile(element)
                body = Markup("".join(functions[def_name](log_qweb, values)))
            except QWebException as error:
                if isinstance(error.__cause__, PermissionError):
                    raise AccessError(
                        self.env._(
                            "Only template editors may use this reminder template."
                        )
                    ) from error
                raise UserError(
                    self.env._(
                        "Failed to render the reminder template %(template)s: "
                        "%(error)s",
                        template=template.display_name,
                        error=error,
                    )
                ) from error
            # Without the <div> wrapping the nodes, as mail renders it.
            rendered[log.id] = body[5:-6]
        return template._render_template_postprocess(self._name, rendered)

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
