# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request


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
