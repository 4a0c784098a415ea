# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    css_callback_days = fields.Integer(
        related="company_id.css_callback_days", readonly=False
    )
    css_poor_rating_threshold = fields.Integer(
        related="company_id.css_poor_rating_threshold", readonly=False
    )
    css_service_manager_id = fields.Many2one(
        related="company_id.css_service_manager_id", readonly=False
    )
    css_dispatcher_id = fields.Many2one(
        related="company_id.css_dispatcher_id", readonly=False
    )
    css_visit_hours = fields.Float(related="company_id.css_visit_hours", readonly=False)
    css_slot_days = fields.Integer(related="company_id.css_slot_days", readonly=False)
    css_sla_cron_batch_size = fields.Integer(
        string="Escalations per Cron Run",
        config_parameter="crm_haier_css.sla_cron_batch_size",
        default=500,
    )
    css_alias_name = fields.Char(
        string="Service Alias",
        compute="_compute_css_alias_name",
        inverse="_inverse_css_alias_name",
        help="E-mails sent to this alias create service cases.",
    )
    css_alias_domain = fields.Char(
        string="Service Alias Domain", compute="_compute_css_alias_name"
    )

    def _css_alias(self):
        return self.env.ref(
            "crm_haier_css.mail_alias_css_case", raise_if_not_found=False
        )

    def _compute_css_alias_name(self):
        alias = self._css_alias()
        for settings in self:
            settings.css_alias_name = alias.alias_name if alias else False
            settings.css_alias_domain = alias.alias_domain if alias else False

    def _inverse_css_alias_name(self):
        alias = self._css_alias()
        for settings in self:
            if alias and alias.alias_name != settings.css_alias_name:
                alias.sudo().alias_name = settings.css_alias_name
