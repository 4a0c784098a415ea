# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL, mute_logger

from .css_case_selections import SLA_STATUSES
from .css_stage import DONE_STATES

# Elapsed times and the date without which they are not known yet.
ELAPSED_FIELDS = {
    "response_hours": "first_response_date",
    "resolution_hours": "resolved_date",
}
SLA_FIELDS = [
    "response_deadline",
    "resolution_deadline",
    "response_risk_date",
    "resolution_risk_date",
]


class CssSlaMixin(models.AbstractModel):
    """The service level clock: deadlines, status and escalation.

    One engine for the documents that promise a response and a resolution.
    The inheriting model provides ``state`` (``css.stage`` states) and
    ``is_open``, ``reported_date``, ``first_response_date``,
    ``resolved_date``, ``closed_date``, ``company_id``, ``team_id`` and the
    policy matching (``_compute_sla_policy_id``); it restarts the clock by
    writing ``sla_start_date`` as the system.
    """

    _name = "css.sla.mixin"
    _description = "Service Level Clock"

    sla_policy_id = fields.Many2one(
        "css.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    sla_start_date = fields.Datetime(
        string="SLA Clock Start",
        copy=False,
        help="Start of the service level clock: the report date, or the last "
        "reopening.",
    )
    response_deadline = fields.Datetime(
        compute="_compute_sla_targets", store=True, precompute=True, copy=False
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_targets", store=True, precompute=True, copy=False
    )
    response_risk_date = fields.Datetime(
        compute="_compute_sla_targets", store=True, precompute=True, copy=False
    )
    resolution_risk_date = fields.Datetime(
        compute="_compute_sla_targets", store=True, precompute=True, copy=False
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        precompute=True,
        index=True,
        copy=False,
        help="Kept up to date as the case changes, and as time passes by the SLA cron.",
    )
    escalation_level = fields.Integer(default=0, copy=False, readonly=True, index=True)
    escalation_date = fields.Datetime(copy=False, readonly=True)
    response_hours = fields.Float(
        string="Response Time (h)",
        compute="_compute_elapsed_hours",
        store=True,
        precompute=True,
        aggregator="avg",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)",
        compute="_compute_elapsed_hours",
        store=True,
        precompute=True,
        aggregator="avg",
    )

    _sql_constraints = [
        (
            "escalation_level_range",
            "CHECK(escalation_level BETWEEN 0 AND 2)",
            "The escalation level is 0, 1 or 2.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        # An unanswered case has no response time yet, not a perfect one of
        # 0 hours: averages count answered (resolved) records only.
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if func == "avg" and fname in ELAPSED_FIELDS:
            return SQL(
                "AVG(CASE WHEN %s IS NOT NULL THEN %s END)",
                self._field_to_sql(self._table, ELAPSED_FIELDS[fname], query),
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _compute_sla_policy_id(self):
        raise NotImplementedError(
            f"{self._name} matches its documents to SLA policies itself."
        )

    @api.depends("sla_policy_id", "sla_start_date", "reported_date")
    def _compute_sla_targets(self):
        # Records created together (a distributor's file) often share their
        # policy and start: one calendar walk for each pair.
        targets = {}
        for case in self:
            start = case.sla_start_date or case.reported_date
            if case.sla_policy_id and start:
                key = (case.sla_policy_id, start)
                if key not in targets:
                    targets[key] = case.sla_policy_id._compute_targets(start)
                case.update(targets[key])
            else:
                case.update(dict.fromkeys(SLA_FIELDS, False))

    @api.depends(
        "state",
        "first_response_date",
        "resolved_date",
        "closed_date",
        *SLA_FIELDS,
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for case in self:
            case.sla_status = case._sla_status_at(now)

    @api.depends("reported_date", "first_response_date", "resolved_date")
    def _compute_elapsed_hours(self):
        def hours(start, end):
            return round((end - start).total_seconds() / 3600.0, 2) if end else 0.0

        for case in self:
            case.response_hours = hours(case.reported_date, case.first_response_date)
            case.resolution_hours = hours(case.reported_date, case.resolved_date)

    def _sla_status_at(self, now):
        """Return the SLA status of this record at ``now``.

        The one definition of the rules in Python. The cron applies them in
        SQL for the passing of time (``_sla_update_statuses``); the test
        ``test_sla_rules_agree`` proves the two agree over a grid of states,
        answers and times.
        """
        self.ensure_one()
        if self.state in ("resolved", "closed"):
            end = self.resolved_date or self.closed_date or now
        elif self.state == "cancelled":
            end = self.closed_date or now
        else:
            end = now
        answered = self.first_response_date or (
            end if self.state in DONE_STATES else None
        )
        late_response = self.response_deadline and (
            (answered or end) > self.response_deadline
        )
        late_resolution = self.resolution_deadline and end > self.resolution_deadline
        if late_response or late_resolution:
            return "breached"
        if self.state in ("resolved", "closed"):
            return "met"
        if self.state == "cancelled":
            return "on_track"
        if (
            not self.first_response_date
            and self.response_risk_date
            and self.response_risk_date <= now
        ) or (self.resolution_risk_date and self.resolution_risk_date <= now):
            return "at_risk"
        return "on_track"

    # ------------------------------------------------------------------
    # Escalation cron
    # ------------------------------------------------------------------

    def _escalation_user(self, level):
        """Return who is alerted at escalation ``level`` (1 leader, 2 manager)."""
        self.ensure_one()
        manager = self.company_id.css_service_manager_id
        leader = self.team_id.leader_id
        if level == 1:
            return leader or manager
        return manager or leader

    @api.model
    def _sla_batch_size(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_haier_css.sla_cron_batch_size", 500)
        )

    @api.model
    def _cron_sla_check(self):
        """Move open cases to at risk and breached, then escalate breached ones.

        Statuses move in one SQL statement each; escalations are processed in
        batches (each with a constant number of queries) and the cron is
        re-triggered while some remain. A level is reached once per case.
        """
        now = fields.Datetime.now()
        batch = self._sla_batch_size()
        done = 0
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self._sla_update_statuses(now)
                for level in (1, 2):
                    cases = self._sla_escalate(level, now, batch - done)
                    done += len(cases)
                    if done >= batch:
                        break
        except psycopg2.errors.SerializationFailure:
            # Another node (or a user) changed some of these cases since this
            # transaction began: nothing of this batch is kept, and the next
            # run, which sees their committed state, does it once.
            return 0
        remaining = self._sla_count_due_escalations(now) if done >= batch else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _sla_update_statuses(self, now):
        self.env.flush_all()
        late = SQL(
            "((c.first_response_date IS NULL AND c.response_deadline < %(now)s)"
            " OR c.resolution_deadline < %(now)s)",
            now=now,
        )
        risky = SQL(
            "((c.first_response_date IS NULL AND c.response_risk_date <= %(now)s)"
            " OR c.resolution_risk_date <= %(now)s)",
            now=now,
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s c
                   SET sla_status = CASE WHEN %(late)s THEN 'breached'
                                         ELSE 'at_risk' END,
                       write_date = %(now)s
                 WHERE c.is_open
                   AND c.sla_status IN ('on_track', 'at_risk')
                   AND (%(late)s OR (c.sla_status = 'on_track' AND %(risky)s))
             RETURNING c.id
                """,
                table=SQL.identifier(self._table),
                late=late,
                risky=risky,
                now=now,
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        if changed:
            self.invalidate_model(["sla_status", "write_date"])
        return changed

    def _sla_due_condition(self, level, now):
        if level == 1:
            return SQL("COALESCE(c.escalation_level, 0) = 0")
        return SQL(
            "c.escalation_level = 1 AND c.escalation_date"
            " + COALESCE(p.escalation_hours, 0) * interval '1 hour' <= %s",
            now,
        )

    def _sla_count_due_escalations(self, now):
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FROM %(table)s c
                  LEFT JOIN css_sla_policy p ON p.id = c.sla_policy_id
                 WHERE c.is_open AND c.sla_status = 'breached'
                   AND ((%(level1)s) OR (%(level2)s))
                """,
                table=SQL.identifier(self._table),
                level1=self._sla_due_condition(1, now),
                level2=self._sla_due_condition(2, now),
            )
        )
        return self.env.cr.fetchone()[0]

    def _sla_escalate(self, level, now, limit):
        """Raise at most ``limit`` due cases to ``level`` and alert their owners."""
        if limit <= 0:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s
                   SET escalation_level = %(level)s, escalation_date = %(now)s
                 WHERE id IN (
                       SELECT c.id FROM %(table)s c
                         LEFT JOIN css_sla_policy p ON p.id = c.sla_policy_id
                        WHERE c.is_open AND c.sla_status = 'breached' AND %(due)s
                        ORDER BY c.id
                        LIMIT %(limit)s
                          FOR UPDATE OF c SKIP LOCKED)
             RETURNING id
                """,
                table=SQL.identifier(self._table),
                level=level,
                now=now,
                due=self._sla_due_condition(level, now),
                limit=limit,
            )
        )
        cases = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        if not cases:
            return cases
        cases.invalidate_recordset(["escalation_level", "escalation_date"])
        cases._sla_notify_escalation(level)
        return cases

    def _sla_notify_escalation(self, level):
        """Post one note per case and one activity per case for its supervisor.

        Everything is created in batch: the number of queries depends on the
        batch size, not on how many cases are open.
        """
        activity_type = self.env.ref("crm_haier_css.mail_activity_type_css_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        if level == 1:
            summary = self.env._("SLA breached: first escalation (team leader)")
        else:
            summary = self.env._("SLA breached: second escalation (service manager)")
        bodies, activity_vals = {}, []
        for case in self:
            user = case._escalation_user(level)
            bodies[case.id] = Markup("<p>%s</p>") % (
                self.env._(
                    "%(summary)s. Escalated to %(user)s.",
                    summary=summary,
                    user=user.name or self.env._("nobody (no supervisor set)"),
                )
            )
            if user:
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": case.id,
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                )
        self._message_log_batch(bodies=bodies)
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(activity_vals)
