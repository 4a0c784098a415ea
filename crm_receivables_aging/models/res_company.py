# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyGettext, LazyTranslate

from .aging_bucket import DEFAULT_BUCKETS

_lt = LazyTranslate(__name__)

# name, days relative to the due date, channel, template xmlid, escalation
DEFAULT_LEVELS = [
    (_lt("Upcoming due date"), -3, "email", "mail_template_reminder_upcoming", "none"),
    (_lt("First reminder"), 7, "email", "mail_template_reminder_overdue", "none"),
    (
        _lt("Second reminder"),
        30,
        "email",
        "mail_template_reminder_overdue",
        "activity",
    ),
    (_lt("Final notice"), 60, "letter", False, "credit_hold"),
    (_lt("Collection call"), 90, "phone", False, "activity"),
]
DEFAULT_POLICY_NAME = _lt("Standard reminders")


class ResCompany(models.Model):
    _inherit = "res.company"

    aging_date_basis = fields.Selection(
        [("due_date", "Due date"), ("invoice_date", "Invoice date")],
        string="Age receivables by",
        default="due_date",
        required=True,
    )
    aging_bucket_ids = fields.One2many("aging.bucket", "company_id", "Aging buckets")
    aging_credit_hold = fields.Boolean(
        "Credit hold",
        help="Block the confirmation of sale orders of customers with amounts "
        "overdue too long or over their credit limit.",
    )
    aging_credit_hold_days = fields.Integer(
        "Credit hold after (days overdue)", default=60
    )
    aging_promise_max_days = fields.Integer(
        "Promise to pay at most (days ahead)",
        default=90,
        help="A promise to pay holds the reminders of a customer or an invoice "
        "until its date, which may lie at most this many days ahead.",
    )

    @api.constrains("aging_credit_hold_days")
    def _check_aging_credit_hold_days(self):
        if any(company.aging_credit_hold_days < 0 for company in self):
            raise ValidationError(
                self.env._("The credit hold delay must be zero or more days.")
            )

    @api.constrains("aging_promise_max_days")
    def _check_aging_promise_max_days(self):
        if any(company.aging_promise_max_days < 1 for company in self):
            raise ValidationError(
                self.env._("A promise to pay must be allowed at least one day ahead.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._aging_create_defaults()
        return companies

    def write(self, vals):
        if "aging_bucket_ids" not in vals:
            return super().write(vals)
        # Buckets edited together are only checked once all edits are applied.
        res = super(ResCompany, self.with_context(aging_defer_bucket_check=True)).write(
            vals
        )
        self._aging_check_buckets()
        return res

    def _aging_check_buckets(self):
        """Raise when the buckets of one of these companies leave a gap or overlap."""
        buckets = self.env["aging.bucket"].search([("company_id", "in", self.ids)])
        for company in self:
            company_buckets = buckets.filtered(lambda b, c=company: b.company_id == c)
            if company_buckets:
                company_buckets._check_bucket_chain()

    def _aging_create_defaults(self):
        """Create the default buckets and reminder policy of companies lacking them."""
        bucket_vals = []
        policy_vals = []
        for company in self.sudo():
            if not company.aging_bucket_ids:
                bucket_vals += [
                    {
                        "name": name._translate("en_US")
                        if isinstance(name, LazyGettext)
                        else name,
                        "sequence": index,
                        "days_from": days_from,
                        "days_to": days_to,
                        "company_id": company.id,
                    }
                    for index, (name, days_from, days_to) in enumerate(DEFAULT_BUCKETS)
                ]
            if (
                not self.env["aging.reminder.policy"]
                .sudo()
                .search_count([("company_id", "=", company.id)], limit=1)
            ):
                policy_vals.append(company._aging_default_policy_vals())
        buckets = self.env["aging.bucket"].sudo().create(bucket_vals)
        policies = self.env["aging.reminder.policy"].sudo().create(policy_vals)
        # The names in English, then in each installed language.
        for bucket in buckets:
            self._aging_translate_name(bucket, DEFAULT_BUCKETS[bucket.sequence][0])
        for policy in policies:
            self._aging_translate_name(policy, DEFAULT_POLICY_NAME)
            for level in policy.level_ids:
                self._aging_translate_name(level, DEFAULT_LEVELS[level.sequence][0])

    def _aging_translate_name(self, record, name):
        """Give the record the translations of a default name (a lazy term) in
        the installed languages, as if it came from translated data."""
        if not isinstance(name, LazyGettext):
            return
        translations = {
            lang: name._translate(lang)
            for lang, _label in self.env["res.lang"].get_installed()
        }
        record.update_field_translations("name", translations)

    def _aging_default_policy_vals(self):
        self.ensure_one()
        levels = []
        for index, (name, days, channel, template, escalation) in enumerate(
            DEFAULT_LEVELS
        ):
            template_id = (
                template and self.env.ref(f"crm_receivables_aging.{template}").id
            )
            levels.append(
                fields.Command.create(
                    {
                        "name": name._translate("en_US"),
                        "sequence": index,
                        "days": days,
                        "channel": channel,
                        "mail_template_id": template_id,
                        "escalation": escalation,
                    }
                )
            )
        return {
            "name": DEFAULT_POLICY_NAME._translate("en_US"),
            "company_id": self.id,
            "level_ids": levels,
        }
