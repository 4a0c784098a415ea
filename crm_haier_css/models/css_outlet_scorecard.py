# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.models import READ_GROUP_DISPLAY_FORMAT, parse_read_group_spec
from odoo.tools import SQL, format_date

# Rates are ratios of sums: grouping rows (several technicians, months)
# recomputes them from their parts instead of averaging averages.
RATIOS = {
    "ftf_rate": ("ftf_count", "visit_count", 100.0),
    "sla_rate": ("sla_ok_count", "visit_count", 100.0),
    "repeat_rate": ("repeat_count", "visit_count", 100.0),
    "avg_rating": ("rating_sum", "rating_count", 1.0),
    "avg_response_hours": ("response_hours_sum", "response_count", 1.0),
}
REPEAT_DAYS = 30


class CssOutletScorecard(models.Model):
    """Quality of the outlets and their technicians, month by month (SQL view)."""

    _name = "css.outlet.scorecard"
    _description = "Outlet Scorecard"
    _auto = False
    _order = "month desc, outlet_score, service_center_id, technician_id"
    _rec_name = "service_center_id"

    month = fields.Date(readonly=True)
    month_name = fields.Char(
        compute="_compute_month_name",
        help="The month as the web client names a month group: November 2026.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    service_center_id = fields.Many2one(
        "css.service.center", string="Outlet", readonly=True
    )
    distributor_id = fields.Many2one("res.partner", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)

    visit_count = fields.Integer(string="Visits Done", readonly=True)
    sla_ok_count = fields.Integer(string="Within SLA", readonly=True)
    ftf_count = fields.Integer(string="First-time Fixes", readonly=True)
    repeat_count = fields.Integer(
        string="Repeat Visits",
        readonly=True,
        help=f"Visits followed by another visit on the same product within "
        f"{REPEAT_DAYS} days.",
    )
    rating_sum = fields.Float(readonly=True)
    rating_count = fields.Integer(string="Ratings", readonly=True)
    response_hours_sum = fields.Float(readonly=True)
    response_count = fields.Integer(readonly=True)
    parts_cost = fields.Float(readonly=True)
    charged_revenue = fields.Float(readonly=True)

    sla_rate = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg"
    )
    ftf_rate = fields.Float(
        string="First-time Fix (%)", readonly=True, aggregator="avg"
    )
    repeat_rate = fields.Float(
        string="Repeat Visits (%)", readonly=True, aggregator="avg"
    )
    avg_rating = fields.Float(readonly=True, aggregator="avg")
    avg_response_hours = fields.Float(
        string="Average Response (h)", readonly=True, aggregator="avg"
    )
    outlet_score = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Quality of the outlet that month, 0-100: half its first-time fix "
        "rate, 30% its SLA compliance, 20% its average rating (3 of 5 when "
        "nobody rated).",
    )
    rank = fields.Integer(
        string="Outlet Rank",
        readonly=True,
        aggregator="max",
        help="Rank of the outlet in its company that month, 1 for the best.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH line AS (
                SELECT order_id,
                       SUM(cost_amount) AS parts_cost,
                       SUM(amount_charged) AS charged
                  FROM css_service_order_line
                 GROUP BY order_id
            ), visit AS (
                SELECT v.company_id, v.service_center_id, v.technician_id,
                       date_trunc('month', v.date_done)::date AS month,
                       v.first_time_fix,
                       c.sla_status, c.rating_last_value, c.response_hours,
                       c.first_response_date,
                       v.asset_id IS NOT NULL AND COALESCE(
                           LEAD(v.date_done) OVER (
                               PARTITION BY v.asset_id ORDER BY v.date_done, v.id
                           ) <= v.date_done + %(repeat)s * interval '1 day',
                           FALSE
                       ) AS repeated,
                       line.parts_cost, line.charged
                  FROM css_service_order v
                  JOIN css_case c ON c.id = v.case_id
                  LEFT JOIN line ON line.order_id = v.id
                 WHERE v.state = 'done' AND v.date_done IS NOT NULL
            ), agg AS (
                SELECT company_id, service_center_id, technician_id, month,
                       COUNT(*) AS visit_count,
                       COUNT(*) FILTER (
                           WHERE sla_status IS DISTINCT FROM 'breached'
                       ) AS sla_ok_count,
                       COUNT(*) FILTER (WHERE first_time_fix) AS ftf_count,
                       COUNT(*) FILTER (WHERE repeated) AS repeat_count,
                       COALESCE(SUM(rating_last_value) FILTER (
                           WHERE rating_last_value > 0), 0) AS rating_sum,
                       COUNT(*) FILTER (WHERE rating_last_value > 0) AS rating_count,
                       COALESCE(SUM(response_hours) FILTER (
                           WHERE first_response_date IS NOT NULL), 0)
                           AS response_hours_sum,
                       COUNT(*) FILTER (
                           WHERE first_response_date IS NOT NULL
                       ) AS response_count,
                       COALESCE(SUM(parts_cost), 0) AS parts_cost,
                       COALESCE(SUM(charged), 0) AS charged_revenue
                  FROM visit
                 GROUP BY company_id, service_center_id, technician_id, month
            ), outlet AS (
                SELECT company_id, service_center_id, month,
                       50.0 * SUM(ftf_count) / SUM(visit_count)
                       + 30.0 * SUM(sla_ok_count) / SUM(visit_count)
                       + 4.0 * COALESCE(
                           SUM(rating_sum) / NULLIF(SUM(rating_count), 0), 3.0
                       ) AS outlet_score
                  FROM agg
                 GROUP BY company_id, service_center_id, month
            ), ranked AS (
                SELECT outlet.*,
                       RANK() OVER (
                           PARTITION BY company_id, month ORDER BY outlet_score DESC
                       ) AS rank
                  FROM outlet
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY agg.month, agg.service_center_id, agg.technician_id
                   ) AS id,
                   agg.*,
                   center.distributor_id,
                   100.0 * agg.sla_ok_count / agg.visit_count AS sla_rate,
                   100.0 * agg.ftf_count / agg.visit_count AS ftf_rate,
                   100.0 * agg.repeat_count / agg.visit_count AS repeat_rate,
                   agg.rating_sum / NULLIF(agg.rating_count, 0) AS avg_rating,
                   agg.response_hours_sum / NULLIF(agg.response_count, 0)
                       AS avg_response_hours,
                   ranked.outlet_score,
                   ranked.rank
              FROM agg
              JOIN ranked ON ranked.company_id = agg.company_id
                         AND ranked.month = agg.month
                         AND ranked.service_center_id IS NOT DISTINCT FROM
                             agg.service_center_id
              LEFT JOIN css_service_center center ON center.id = agg.service_center_id
            """,
            repeat=REPEAT_DAYS,
        )

    @api.depends("month")
    def _compute_month_name(self):
        for row in self:
            row.month_name = format_date(
                self.env, row.month, date_format=READ_GROUP_DISPLAY_FORMAT["month"]
            )

    def _read_group_select(self, aggregate_spec, query):
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if func == "avg" and fname in RATIOS:
            numerator, denominator, factor = RATIOS[fname]
            return SQL(
                "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
                factor,
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    def action_export_xlsx(self):
        """Download the outlet ranking and the technicians' rows as a spreadsheet."""
        query = f"?ids={','.join(map(str, self.ids))}" if self else ""
        return {
            "type": "ir.actions.act_url",
            "url": f"/css/scorecard/xlsx{query}",
            "target": "download",
        }

    @api.model
    def _xlsx_content(self, domain):
        """The spreadsheet of the scorecards matching ``domain``, read as the caller.

        A sheet "Outlet ranking" (one row per outlet and month, worst first)
        and a sheet "Technicians" (one row per outlet, technician and month).
        """
        measures = [
            "visit_count:sum",
            "sla_rate:avg",
            "ftf_rate:avg",
            "repeat_count:sum",
            "avg_rating:avg",
            "avg_response_hours:avg",
            "parts_cost:sum",
            "charged_revenue:sum",
            "outlet_score:avg",
            "rank:max",
        ]
        outlets = self._read_group(
            domain,
            ["month:month", "service_center_id"],
            measures,
            order="month:month desc, outlet_score:avg asc",
        )
        rows = self.search(domain)
        labels = [
            self.env._("Visits done"),
            self.env._("SLA compliance (%)"),
            self.env._("First-time fix (%)"),
            self.env._("Repeat visits"),
            self.env._("Average rating"),
            self.env._("Average response (h)"),
            self.env._("Parts cost"),
            self.env._("Charged revenue"),
            self.env._("Outlet score"),
            self.env._("Rank"),
        ]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "0.0"})
        sheet = workbook.add_worksheet(self.env._("Outlet ranking"))
        sheet.write_row(
            0, 0, [self.env._("Month"), self.env._("Outlet"), *labels], bold
        )
        for index, (month, outlet, *values) in enumerate(outlets, start=1):
            sheet.write(index, 0, month.strftime("%Y-%m") if month else "")
            sheet.write(index, 1, outlet.display_name or "")
            for column, value in enumerate(values, start=2):
                sheet.write_number(index, column, value or 0.0, number)
        sheet.set_column(0, 1, 24)
        sheet = workbook.add_worksheet(self.env._("Technicians"))
        fields_out = [
            "visit_count",
            "sla_rate",
            "ftf_rate",
            "repeat_count",
            "avg_rating",
            "avg_response_hours",
            "parts_cost",
            "charged_revenue",
            "outlet_score",
            "rank",
        ]
        sheet.write_row(
            0,
            0,
            [
                self.env._("Month"),
                self.env._("Outlet"),
                self.env._("Technician"),
                *labels,
            ],
            bold,
        )
        for index, row in enumerate(rows, start=1):
            sheet.write(index, 0, row.month.strftime("%Y-%m") if row.month else "")
            sheet.write(index, 1, row.service_center_id.display_name or "")
            sheet.write(index, 2, row.technician_id.display_name or "")
            for column, name in enumerate(fields_out, start=3):
                sheet.write_number(index, column, row[name] or 0.0, number)
        sheet.set_column(0, 2, 24)
        workbook.close()
        return output.getvalue()
