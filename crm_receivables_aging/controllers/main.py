# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ids(value):
    return [int(part) for part in (value or "").split(",") if part.strip().isdigit()]


class AgingReportController(http.Controller):
    @http.route(
        "/aging/report/xlsx", type="http", auth="user", methods=["GET"], readonly=True
    )
    def aging_report_xlsx(
        self, as_of_date=None, group_by="partner", company_ids=None, partner_ids=None
    ):
        """The aging table as XLSX, computed without writing anything.

        Read-only: with ``--db_replica_host`` Odoo serves it from the replica,
        so that a month-end export does not load the primary. The report is a
        record in memory, never saved; access is checked as for the wizard.
        """
        Report = request.env["aging.report"]
        companies = _ids(company_ids) or request.env.companies.ids
        report = Report.new(
            {
                "as_of_date": as_of_date or fields.Date.context_today(Report),
                "group_by": group_by,
                "company_ids": [fields.Command.set(companies)],
                "partner_ids": [fields.Command.set(_ids(partner_ids))],
            }
        )
        content = report._render_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                (
                    "Content-Disposition",
                    content_disposition(f"aging_{report.as_of_date}.xlsx"),
                ),
            ],
        )
