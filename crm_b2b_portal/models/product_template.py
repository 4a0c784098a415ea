# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_in_member_catalog = fields.Boolean(
        string="In My B2B Catalog",
        compute="_compute_b2b_in_member_catalog",
        search="_search_b2b_in_member_catalog",
        help="Whether the product is in the catalog of the calling portal "
        "member's account (record rules use it).",
    )

    def _b2b_member_catalog_domain(self):
        member = self.env.user._b2b_member()
        if not member:
            return expression.FALSE_DOMAIN
        return member.account_id.sudo()._catalog_domain()

    @api.depends_context("uid")
    def _compute_b2b_in_member_catalog(self):
        catalog = self.sudo().search(
            [("id", "in", self.ids), *self._b2b_member_catalog_domain()]
        )
        for template in self:
            template.b2b_in_member_catalog = template in catalog

    def _search_b2b_in_member_catalog(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This search is not supported."))
        domain = self._b2b_member_catalog_domain()
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain
