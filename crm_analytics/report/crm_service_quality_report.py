# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_haier_css.models.css_case_selections import (
    CASE_TYPES,
    CHANNELS,
    SLA_STATUSES,
)


class CrmServiceQualityReport(models.Model):
    """One row per service case: SLA kept, fixed first time, satisfaction.

    Grouped by outlet team, agent, product or fault code it shows where
    service is weak and which product models fail most (feedback for
    engineering).
    """

    _name = "crm.service.quality.report"
    _description = "Service Quality Analysis"
    _auto = False
    _order = "create_date desc"

    case_id = fields.Many2one("css.case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    fault_code_id = fields.Many2one("css.fault.code", readonly=True)
    team_id = fields.Many2one("css.team", string="Service Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    case_type = fields.Selection(CASE_TYPES, readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of cases with a final SLA status that met it.",
    )
    first_time_fix = fields.Float(
        string="Fixed First Time (%)",
        readonly=True,
        aggregator="avg",
        help="Share of cases fixed the first time. A case a technician "
        "visited counts by its done visits (each a first-time fix, as in the "
        "outlet scorecards); a case solved without a visit counts when it was "
        "resolved and never reopened.",
    )
    rating = fields.Float(
        string="Satisfaction (1-5)",
        readonly=True,
        aggregator="avg",
        help="Average of the customers' ratings; unrated cases do not count.",
    )
    response_hours = fields.Float(
        string="Response Time (h)", readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT c.id, c.id AS case_id, c.company_id, c.commercial_partner_id
                       AS partner_id, c.product_id, c.product_categ_id,
                   c.fault_code_id, c.team_id, c.user_id, c.channel, c.case_type,
                   c.sla_status, c.create_date, c.response_hours,
                   c.resolution_hours,
                   CASE WHEN c.sla_status = 'met' THEN 100.0
                        WHEN c.sla_status = 'breached' THEN 0.0 END
                        AS sla_compliance,
                   CASE WHEN visit.first_time_fix THEN 100.0
                        WHEN NOT visit.first_time_fix THEN 0.0
                        WHEN c.resolved_date IS NULL THEN NULL
                        WHEN COALESCE(c.reopen_count, 0) = 0 THEN 100.0
                        ELSE 0.0 END AS first_time_fix,
                   NULLIF(c.rating_last_value, 0) AS rating
              FROM css_case c
         LEFT JOIN (SELECT case_id, BOOL_AND(first_time_fix) AS first_time_fix
                      FROM css_service_order
                     WHERE state = 'done'
                  GROUP BY case_id) visit ON visit.case_id = c.id
            """
        )
