# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class CssServiceCenter(models.Model):
    _inherit = "css.service.center"

    def _territories(self):
        # A case declined by a distributor's outlet is routed without it.
        excluded = set(self.env.context.get("css_exclude_service_center_ids") or ())
        return super(
            CssServiceCenter, self.filtered(lambda outlet: outlet.id not in excluded)
        )._territories()
