# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import pytz

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _frontend_pre_dispatch(cls):
        """Without a time zone of the user's own (a visitor following a shared
        link, a user whose login did not carry the cookie), portal pages show
        times in the browser's: the ``tz`` cookie Odoo's frontend layout sets,
        which its login copies onto a user without one."""
        result = super()._frontend_pre_dispatch()
        if not request.env.context.get("tz"):
            tz = request.cookies.get("tz")
            if tz in pytz.all_timezones_set:
                request.update_context(tz=tz)
        return result
