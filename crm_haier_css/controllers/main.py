# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.http import content_disposition, request

from ..tools.portal_input import to_int


class CssCallController(http.Controller):
    @http.route("/css/call", type="http", auth="user", methods=["GET"])
    def css_call(self, phone=None, **kwargs):
        """Screen pop: open the quick-entry screen on the caller's 360° card.

        A telephony system opens this URL in the agent's browser on an
        incoming call; the caller is looked up by normalised number.
        """
        if not request.env.user.has_group("crm_haier_css.group_css_agent"):
            raise Forbidden()
        intake = request.env["css.phone.intake"].create({"phone": phone or ""})
        return request.redirect(
            f"/odoo/action-crm_haier_css.action_css_phone_intake/{intake.id}"
        )


class CssScorecardController(http.Controller):
    # Read-only: served by a replica of the database when there is one.
    @http.route(
        "/css/scorecard/xlsx",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def css_scorecard_xlsx(self, ids=None, **kwargs):
        """The outlet scorecards as a spreadsheet, read with the user's rights."""
        Scorecard = request.env["css.outlet.scorecard"]
        if not Scorecard.has_access("read"):
            raise Forbidden()
        record_ids = [to_int(value) for value in (ids or "").split(",") if value]
        domain = [("id", "in", record_ids)] if record_ids else []
        content = Scorecard._xlsx_content(domain)
        name = f"outlet-scorecards-{fields.Date.context_today(Scorecard)}.xlsx"
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(name)),
            ],
        )
