# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmAnalyticsExportController(http.Controller):
    @http.route(
        "/crm_analytics/export/<string:analysis>.xlsx",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def crm_analytics_export(self, analysis):
        """An analysis and its chart as XLSX, computed without writing anything.

        Read-only: with ``--db_replica_host`` Odoo serves it from the replica.
        The data is read with the user's rights, as in the export wizard.
        """
        Export = request.env["crm.analytics.export"]
        if analysis not in dict(Export._fields["analysis"].selection):
            raise NotFound()
        export = Export.new({"analysis": analysis})
        content = export._workbook(*export._rows())
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(f"{analysis}.xlsx")),
            ],
        )
