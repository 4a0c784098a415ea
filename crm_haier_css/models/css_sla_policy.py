# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.resource.models.utils import make_aware

from .css_case_selections import CASE_TYPES, PRIORITIES


def _round_to_second(value):
    # Calendars end their days at 23:59:59.999999: round instead of truncating
    # so that 24 working hours on a 24/7 calendar land on the same minute.
    return (value + timedelta(microseconds=500000)).replace(microsecond=0)


class CssSlaPolicy(models.Model):
    _name = "css.sla.policy"
    _description = "Service Level Agreement Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="The first matching policy in this order applies."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    description = fields.Text(translate=True)

    # Targets
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        default=lambda self: self.env.ref(
            "crm_haier_css.resource_calendar_24x7", raise_if_not_found=False
        ),
        help="Deadlines are counted in working time of this calendar; the "
        "default calendar runs around the clock.",
    )
    response_hours = fields.Float(
        default=24.0, help="Working hours allowed before the first answer."
    )
    resolution_hours = fields.Float(
        default=72.0, help="Working hours allowed before the case is resolved."
    )
    risk_percent = fields.Float(
        string="At Risk From (%)",
        default=80.0,
        help="A case turns 'at risk' once this share of a target has elapsed.",
    )
    escalation_hours = fields.Float(
        string="Second Escalation After (h)",
        default=4.0,
        help="Hours after the breach (first escalation, team leader) before "
        "the service manager is alerted.",
    )

    # Matching criteria (empty = any)
    case_type = fields.Selection(CASE_TYPES)
    priority = fields.Selection(
        PRIORITIES,
        string="Minimum Priority",
        help="Applies to cases of this priority or higher.",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Applies to customers carrying one of these tags.",
    )
    case_count = fields.Integer(compute="_compute_case_count")

    def _compute_case_count(self):
        counts = dict(
            self.env["css.case"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.case_count = counts.get(policy, 0)

    @api.constrains("response_hours", "resolution_hours", "escalation_hours")
    def _check_hours(self):
        for policy in self:
            if (
                min(
                    policy.response_hours,
                    policy.resolution_hours,
                    policy.escalation_hours,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: response, resolution and escalation "
                        "times must be zero or more hours.",
                        name=policy.name,
                    )
                )
            if policy.resolution_hours and (
                policy.resolution_hours < policy.response_hours
            ):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: the resolution target cannot be "
                        "shorter than the response target.",
                        name=policy.name,
                    )
                )

    @api.constrains("risk_percent")
    def _check_risk_percent(self):
        for policy in self:
            if not 0 < policy.risk_percent < 100:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: the at-risk share must lie between "
                        "0 and 100 percent.",
                        name=policy.name,
                    )
                )

    def _matches(self, case):
        """Tell whether this policy applies to ``case`` (a css.case record)."""
        self.ensure_one()
        if self.company_id and case.company_id and self.company_id != case.company_id:
            return False
        if self.case_type and self.case_type != case.case_type:
            return False
        if self.priority and (case.priority or "0") < self.priority:
            return False
        if self.partner_category_ids:
            tags = (
                case.partner_id.category_id
                | case.partner_id.commercial_partner_id.category_id
            )
            if not self.partner_category_ids & tags:
                return False
        return True

    def _plan(self, start, *hours_list):
        """Return ``start`` plus each of ``hours_list`` hours of working time on
        the policy calendar, in order.

        What ``resource.calendar.plan_hours`` does for one duration, for all of
        them in one walk over the calendar's working intervals (read once, with
        the leaves), instead of one walk and one leaves query per duration.
        """
        self.ensure_one()
        if not start:
            return [False] * len(hours_list)
        planned = {hours: start for hours in hours_list if not hours}
        pending = sorted({hours for hours in hours_list if hours})
        aware_start, revert = make_aware(start)
        resources = self.env["resource.resource"]
        step = timedelta(days=14)
        walked = 0.0
        for n in range(100):
            if not pending:
                break
            since = aware_start + step * n
            intervals = self.calendar_id._work_intervals_batch(
                since, since + step, resources=resources
            )[False]
            for begin, end, _meta in intervals:
                length = (end - begin).total_seconds() / 3600
                while pending and pending[0] - walked <= length:
                    hours = pending.pop(0)
                    planned[hours] = _round_to_second(
                        revert(begin + timedelta(hours=hours - walked))
                    )
                if not pending:
                    break
                walked += length
        return [planned.get(hours, False) for hours in hours_list]

    def _compute_targets(self, start):
        """Return the deadlines and at-risk dates of a case reported at ``start``."""
        self.ensure_one()
        share = self.risk_percent / 100.0
        response, resolution, response_risk, resolution_risk = self._plan(
            start,
            self.response_hours,
            self.resolution_hours,
            self.response_hours * share,
            self.resolution_hours * share,
        )
        return {
            "response_deadline": response,
            "resolution_deadline": resolution,
            "response_risk_date": response_risk,
            "resolution_risk_date": resolution_risk,
        }
