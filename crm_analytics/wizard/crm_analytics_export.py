# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

import xlsxwriter

from odoo import fields, models

# analysis -> model, group-by field, measures as (field, aggregate), chart type
ANALYSES = {
    "segments": (
        "crm.customer.score",
        "segment_id",
        [("revenue_12m", "sum"), ("lifetime_value", "sum")],
        "column",
    ),
    "abc": ("crm.customer.score", "abc_tier", [("revenue_12m", "sum")], "pie"),
    "churn": ("crm.customer.score", "churn_risk", [("revenue_12m", "sum")], "pie"),
    "funnel": ("crm.funnel.stage.report", "stage_id", [], "bar"),
    "salespeople": (
        "crm.funnel.report",
        "user_id",
        [("win_rate", "avg"), ("cycle_days", "avg")],
        "column",
    ),
    "campaigns": (
        "crm.campaign.report",
        "campaign_id",
        [("revenue", "sum"), ("cost", "sum")],
        "column",
    ),
    "service": (
        "crm.service.quality.report",
        "team_id",
        [("sla_compliance", "avg"), ("first_time_fix", "avg"), ("rating", "avg")],
        "column",
    ),
    "faults": ("crm.service.quality.report", "fault_code_id", [], "bar"),
    "affinity": (
        "crm.product.affinity",
        "product_id",
        [("lift", "avg"), ("confidence", "avg")],
        "bar",
    ),
}


class CrmAnalyticsExport(models.TransientModel):
    _name = "crm.analytics.export"
    _description = "Export an Analysis to Excel"

    analysis = fields.Selection(
        [
            ("segments", "Revenue and value by segment"),
            ("abc", "Revenue by ABC tier"),
            ("churn", "Revenue at churn risk"),
            ("funnel", "Sales funnel by stage"),
            ("salespeople", "Win rate and cycle time by salesperson"),
            ("campaigns", "Campaign revenue against cost"),
            ("service", "Service quality by team"),
            ("faults", "Service cases by fault code"),
            ("affinity", "Cross-selling: affinity by product"),
        ],
        required=True,
        default="segments",
    )
    file_data = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _rows(self):
        """Header and aggregated rows of the chosen analysis (one SQL GROUP BY)."""
        model_name, groupby, measures, _chart = ANALYSES[self.analysis]
        model = self.env[model_name]
        aggregates = ["__count"] + [f"{name}:{agg}" for name, agg in measures]
        groups = model._read_group([], [groupby], aggregates, order=f"{groupby}")
        header = [model._fields[groupby].string, self.env._("Count")] + [
            model._fields[name].string for name, _agg in measures
        ]
        selection = (
            dict(model._fields[groupby]._description_selection(self.env))
            if (model._fields[groupby].type == "selection")
            else {}
        )
        rows = []
        for key, *values in groups:
            if hasattr(key, "display_name"):
                label = key.display_name or self.env._("None")
            else:
                label = selection.get(key, key) or self.env._("None")
            rows.append([label, *[value or 0 for value in values]])
        return header, rows

    def _workbook(self, header, rows):
        title = dict(self._fields["analysis"]._description_selection(self.env))[
            self.analysis
        ]
        chart_type = ANALYSES[self.analysis][3]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.analysis)
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
        sheet.write_row(2, 0, header, bold)
        for index, row in enumerate(rows, start=3):
            sheet.write(index, 0, row[0])
            sheet.write_row(index, 1, row[1:], number)
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(header), 16)
        if rows:
            chart = workbook.add_chart({"type": chart_type})
            last = len(rows) + 2
            # The count is the chart's series when there is no measure.
            series_cols = range(2, len(header)) if len(header) > 2 else [1]
            for col in series_cols:
                chart.add_series(
                    {
                        "name": [self.analysis, 2, col],
                        "categories": [self.analysis, 3, 0, last, 0],
                        "values": [self.analysis, 3, col, last, col],
                    }
                )
                if chart_type == "pie":
                    break
            chart.set_title({"name": title})
            sheet.insert_chart(
                2, len(header) + 1, chart, {"x_scale": 1.5, "y_scale": 1.5}
            )
        workbook.close()
        return output.getvalue()

    def action_export(self):
        """Build the workbook (data and a native Excel chart) and download it."""
        self.ensure_one()
        header, rows = self._rows()
        self.write(
            {
                "file_data": base64.b64encode(self._workbook(header, rows)),
                "file_name": f"{self.analysis}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/crm.analytics.export/{self.id}/file_data/"
                f"{self.file_name}?download=true"
            ),
            "target": "self",
        }
