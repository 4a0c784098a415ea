# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.claim import claim_free

EXPIRY_NOTICE_DAYS = 30
CRON_BATCH_SIZE = 500


class CssCertification(models.Model):
    """A training a technician passed: he holds its skill while it is valid."""

    _name = "css.certification"
    _description = "Technician Certification"
    _inherit = ["mail.thread", "mail.activity.mixin", "css.field.guard.mixin"]
    _order = "date_expiry, id"
    _css_system_fields = frozenset({"expiry_reminder_date"})

    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    skill_id = fields.Many2one(
        "css.skill", required=True, index=True, tracking=True, ondelete="cascade"
    )
    date_obtained = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    date_expiry = fields.Date(
        tracking=True, index=True, help="Empty: the certification does not expire."
    )
    training_ref = fields.Char(
        string="Training Reference", help="Course or certificate number."
    )
    is_valid = fields.Boolean(
        string="Valid", compute="_compute_is_valid", search="_search_is_valid"
    )
    expiry_reminder_date = fields.Date(
        copy=False,
        readonly=True,
        help="When the service manager was reminded of the expiry; a new expiry "
        "date clears it.",
    )

    @api.depends("date_obtained", "date_expiry")
    @api.depends_context("date")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for certification in self:
            certification.is_valid = certification._valid_on(today)

    def _search_is_valid(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        today = fields.Date.context_today(self)
        domain = [
            ("date_obtained", "<=", today),
            "|",
            ("date_expiry", "=", False),
            ("date_expiry", ">=", today),
        ]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.depends("user_id", "skill_id")
    def _compute_display_name(self):
        for certification in self:
            certification.display_name = (
                f"{certification.skill_id.name or ''} - "
                f"{certification.user_id.name or ''}"
            )

    @api.constrains("date_obtained", "date_expiry")
    def _check_dates(self):
        for certification in self:
            if (
                certification.date_expiry
                and certification.date_expiry < certification.date_obtained
            ):
                raise ValidationError(
                    self.env._("A certification cannot expire before it is obtained.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_field_access([vals])
        result = super().write(vals)
        if "date_expiry" in vals:
            self.sudo().expiry_reminder_date = False
        return result

    def _valid_on(self, day):
        """Whether the certification is valid on ``day``."""
        self.ensure_one()
        return self.date_obtained <= day and (
            not self.date_expiry or self.date_expiry >= day
        )

    def _cron_remind_expiry(self):
        """Remind the service manager of certifications expiring within a month.

        Once per expiry date: running twice schedules nothing twice, nor do two
        nodes running it at once (each claims its batch). One batch per call,
        committed by the cron runner, which calls again while some remain.
        """
        today = fields.Date.context_today(self)
        domain = [
            ("date_expiry", ">=", today),
            ("date_expiry", "<=", today + timedelta(days=EXPIRY_NOTICE_DAYS)),
            ("expiry_reminder_date", "=", False),
            ("user_id.active", "=", True),
        ]
        due = self.search(domain, order="id")
        batch = due[:CRON_BATCH_SIZE]
        expiring = claim_free(batch).filtered(
            lambda certification: not certification.expiry_reminder_date
        )
        activity_type = self.env.ref(
            "crm_haier_css.mail_activity_type_css_certification_expiry"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        values = []
        reminded = self.browse()
        for certification in expiring:
            manager = (
                certification.user_id.company_id.css_service_manager_id
                or self.env.company.css_service_manager_id
            )
            if not manager:
                continue
            reminded |= certification
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": certification.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "date_deadline": max(
                        today, certification.date_expiry - timedelta(days=7)
                    ),
                    "summary": self.env._(
                        "%(technician)s: %(skill)s expires on %(date)s",
                        technician=certification.user_id.name,
                        skill=certification.skill_id.name,
                        date=fields.Date.to_string(certification.date_expiry),
                    ),
                }
            )
        self.env["mail.activity"].create(values)
        reminded.write({"expiry_reminder_date": today})
        self.env["ir.cron"]._notify_progress(
            done=len(reminded), remaining=len(due) - len(batch)
        )
