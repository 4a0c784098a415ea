# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

COLLECTOR = "crm_receivables_aging.group_aging_collector"


class AgingExclusionMixin(models.AbstractModel):
    """What holds the reminders of a customer or an invoice: a dispute, or a
    promise to pay by a date. Only collectors set them, and a promise cannot
    reach beyond the company's horizon, so that nobody silences the reminders
    for good."""

    _name = "aging.exclusion.mixin"
    _description = "Reminder Exclusions"
    _inherit = ["aging.write.guard"]

    aging_dispute = fields.Boolean(
        "In dispute",
        copy=False,
        tracking=True,
        help="No reminder is sent while in dispute. Set by collectors.",
    )
    aging_promise_date = fields.Date(
        "Promised to pay by",
        copy=False,
        tracking=True,
        help="No reminder is sent until this date. Set by collectors, at most as "
        "many days ahead as the company allows.",
    )

    def _write_guarded_fields(self):
        return {
            **super()._write_guarded_fields(),
            "aging_dispute": COLLECTOR,
            "aging_promise_date": COLLECTOR,
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_aging_promise_date(vals.get("aging_promise_date"))
        return super().create(vals_list)

    def write(self, vals):
        if "aging_promise_date" in vals:
            self._check_aging_promise_date(vals["aging_promise_date"])
        return super().write(vals)

    @api.model
    def _check_aging_promise_date(self, promise_date):
        """Raise when a promise to pay lies beyond the company's horizon."""
        promise_date = fields.Date.to_date(promise_date)
        if not promise_date:
            return
        max_days = self.env.company.aging_promise_max_days
        latest = fields.Date.context_today(self) + timedelta(days=max_days)
        if promise_date > latest:
            raise UserError(
                self.env._(
                    "A promise to pay can hold the reminders for at most %(days)s "
                    "days: choose a date on or before %(latest)s.",
                    days=max_days,
                    latest=latest,
                )
            )
