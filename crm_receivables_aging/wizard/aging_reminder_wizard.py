# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AgingReminderWizard(models.TransientModel):
    _name = "aging.reminder.wizard"
    _description = "Preview and Send Reminders"

    partner_ids = fields.Many2many(
        "res.partner", string="Customers", help="Leave empty for every customer."
    )
    line_ids = fields.One2many("aging.reminder.wizard.line", "wizard_id", "Reminders")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in (
            fields_list
        ):
            res["partner_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return res

    def action_preview(self):
        """List the reminders that are due now, without sending them."""
        self.ensure_one()
        self.env["aging.reminder.policy"]._check_collector()
        groups = self.env["aging.reminder.policy"]._get_reminder_candidates(
            self.env.companies, partner_ids=self.partner_ids.commercial_partner_id.ids
        )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "partner_id": group["partner_id"],
                    "company_id": group["company_id"],
                    "level_id": group["level_id"],
                    "move_ids": [fields.Command.set(list(group["moves"]))],
                }
            )
            for group in groups
        ]
        return self._reopen()

    def action_send(self):
        """Send the selected reminders now."""
        self.ensure_one()
        self.env["aging.reminder.policy"]._check_collector()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(
                self.env._("Nothing to send: preview the reminders and select some.")
            )
        # Recompute so that nothing sent meanwhile (e.g. by the cron) goes twice.
        fresh = self.env["aging.reminder.policy"]._get_reminder_candidates(
            self.env.companies, partner_ids=lines.partner_id.ids
        )
        selected = {(line.partner_id.id, line.company_id.id) for line in lines}
        groups = [g for g in fresh if (g["partner_id"], g["company_id"]) in selected]
        logs = self.env["aging.reminder.policy"]._send_reminders(groups)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_receivables_aging.action_aging_reminder_log"
        )
        action["domain"] = [("id", "in", logs.ids)]
        return action

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Preview reminders"),
        }


class AgingReminderWizardLine(models.TransientModel):
    _name = "aging.reminder.wizard.line"
    _description = "Reminder to Send"
    _inherit = ["aging.reminder.mixin"]

    wizard_id = fields.Many2one(
        "aging.reminder.wizard", required=True, ondelete="cascade"
    )
    selected = fields.Boolean(default=True, string="Send")
    channel = fields.Selection(related="level_id.channel")
    body_preview = fields.Html(compute="_compute_body_preview", string="Preview")

    @api.depends("level_id", "move_ids", "partner_id")
    def _compute_body_preview(self):
        for line in self:
            template = line.level_id.mail_template_id.with_context(
                lang=line.partner_id.lang or self.env.lang
            )
            if not template or not line.id:
                line.body_preview = False
                continue
            # The reminder templates use aging.reminder.mixin only, which these
            # lines share with aging.reminder.log.
            line.body_preview = template._render_template(
                template.body_html,
                self._name,
                line.ids,
                engine="qweb",
                options={"post_process": True},
            )[line.id]
