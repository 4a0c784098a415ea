# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

OUTCOMES = [("open", "Open"), ("won", "Won"), ("lost", "Lost")]


class CrmFunnelReport(models.Model):
    """One row per lead or opportunity: outcome, win rate and cycle time."""

    _name = "crm.funnel.report"
    _description = "Sales Funnel Analysis"
    _auto = False
    _order = "create_date desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    type = fields.Selection(
        [("lead", "Lead"), ("opportunity", "Opportunity")], readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    win_rate = fields.Float(
        string="Win Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of closed opportunities that were won; open ones do not count.",
    )
    cycle_days = fields.Float(
        string="Cycle Time (Days)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    expected_revenue = fields.Float(readonly=True)
    won_revenue = fields.Float(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id, l.id AS lead_id, l.type, l.user_id, l.team_id, l.stage_id,
                   l.partner_id, l.campaign_id, l.source_id, l.company_id,
                   l.create_date, l.date_closed, l.expected_revenue,
                   CASE WHEN s.is_won THEN 'won'
                        WHEN NOT l.active AND l.probability = 0 THEN 'lost'
                        ELSE 'open' END AS outcome,
                   CASE WHEN s.is_won THEN 100.0
                        WHEN NOT l.active AND l.probability = 0 THEN 0.0 END
                        AS win_rate,
                   CASE WHEN l.date_closed IS NOT NULL
                        THEN EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0
                   END AS cycle_days,
                   CASE WHEN s.is_won THEN l.expected_revenue ELSE 0 END
                        AS won_revenue
              FROM crm_lead l
              LEFT JOIN crm_stage s ON s.id = l.stage_id
            """
        )


class CrmFunnelStageReport(models.Model):
    """One row per opportunity and pipeline stage it reached.

    An opportunity reached every stage up to the furthest one it has been in
    (its current stage or any earlier stage in its tracked history), so the
    count per stage is the funnel and each step's ratio its conversion.
    """

    _name = "crm.funnel.stage.report"
    _description = "Sales Funnel by Stage"
    _auto = False
    _order = "stage_sequence, stage_id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage Reached", readonly=True)
    stage_sequence = fields.Integer(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH history AS (
                SELECT l.id AS lead_id, l.stage_id
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.stage_id IS NOT NULL
                UNION
                SELECT m.res_id, v.old_value_integer
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = 'crm.lead' AND f.model = 'crm.lead'
                   AND f.name = 'stage_id' AND v.old_value_integer IS NOT NULL
            ), furthest AS (
                SELECT h.lead_id, MAX(s.sequence) AS sequence
                  FROM history h JOIN crm_stage s ON s.id = h.stage_id
                 GROUP BY h.lead_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY l.id, s.sequence, s.id) AS id,
                   l.id AS lead_id, s.id AS stage_id, s.sequence AS stage_sequence,
                   l.user_id, l.team_id, l.company_id, l.create_date
              FROM furthest f
              JOIN crm_lead l ON l.id = f.lead_id
              JOIN crm_stage s ON s.sequence <= f.sequence
               AND (s.team_id IS NULL OR s.team_id = l.team_id)
            """
        )
