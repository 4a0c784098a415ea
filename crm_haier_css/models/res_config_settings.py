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
    css_sla_cron_batch_size = fields.Integer(
        string="Escalations per Cron Run",
        config_parameter="crm_haier_css.sla_cron_batch_size",
        default=500,
    )
    css_alias_id = fields.Many2one(
        "mail.alias",
        string="Service Alias",
        compute="_compute_css_alias_id",
    )

    def _compute_css_alias_id(self):
        alias = self.env.ref(
            "crm_haier_css.mail_alias_css_case", raise_if_not_found=False
        )
        for settings in self:
            settings.css_alias_id = alias
