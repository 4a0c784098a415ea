# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.territory import parse_prefixes

# The terms of a distributor's contract: the service manager sets them.
DISTRIBUTOR_FIELDS = frozenset(
    {
        "is_distributor",
        "distributor_tier",
        "product_category_ids",
        "distributor_date_start",
        "distributor_date_end",
        "distributor_country_ids",
        "distributor_state_ids",
        "distributor_zip_prefixes",
    }
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_distributor = fields.Boolean(
        string="Distributor",
        index="btree_not_null",
        help="Sells Haier products and may run service outlets; its users work "
        "the cases routed to its outlets on the distributor portal.",
    )
    distributor_tier = fields.Selection(
        [("gold", "Gold"), ("silver", "Silver"), ("bronze", "Bronze")],
        string="Tier",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        "css_distributor_product_category_rel",
        "partner_id",
        "categ_id",
        string="Authorised Product Categories",
        help="The distributor sells and services products of these categories "
        "(and their subcategories) only.",
    )
    distributor_date_start = fields.Date(string="Distribution Contract Start")
    distributor_date_end = fields.Date(string="Distribution Contract End")
    distributor_country_ids = fields.Many2many(
        "res.country",
        "css_distributor_country_rel",
        "partner_id",
        "country_id",
        string="Territory Countries",
    )
    distributor_state_ids = fields.Many2many(
        "res.country.state",
        "css_distributor_state_rel",
        "partner_id",
        "state_id",
        string="Territory Provinces",
    )
    distributor_zip_prefixes = fields.Char(
        string="Territory Postcode Prefixes",
        help="Comma-separated beginnings of the postcodes of the distributor's "
        "territory, e.g. 2663, 2664.",
    )
    css_distributor_outlet_ids = fields.One2many(
        "css.service.center", "distributor_id", string="Outlets Run"
    )
    css_distributor_outlet_count = fields.Integer(
        string="Outlets", compute="_compute_css_distributor_counts"
    )
    css_distributor_asset_count = fields.Integer(
        string="Products Sold", compute="_compute_css_distributor_counts"
    )

    @api.constrains("distributor_date_start", "distributor_date_end")
    def _check_distributor_dates(self):
        for partner in self:
            if (
                partner.distributor_date_start
                and partner.distributor_date_end
                and partner.distributor_date_end < partner.distributor_date_start
            ):
                raise ValidationError(
                    self.env._(
                        "The distribution contract of %(partner)s cannot end "
                        "before it starts.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("distributor_zip_prefixes")
    def _check_distributor_zip_prefixes(self):
        for partner in self:
            prefixes = parse_prefixes(partner.distributor_zip_prefixes)
            if any(" " in prefix for prefix in prefixes):
                raise ValidationError(
                    self.env._(
                        "Separate the postcode prefixes with commas, e.g. 2660, 2661."
                    )
                )

    def _compute_css_distributor_counts(self):
        outlets = dict(
            self.env["css.service.center"]._read_group(
                [("distributor_id", "in", self.ids)], ["distributor_id"], ["__count"]
            )
        )
        assets = dict(
            self.env["css.asset"]._read_group(
                [("distributor_id", "in", self.ids)], ["distributor_id"], ["__count"]
            )
        )
        for partner in self:
            partner.css_distributor_outlet_count = outlets.get(partner, 0)
            partner.css_distributor_asset_count = assets.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_distributor_access(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_distributor_access([vals])
        return super().write(vals)

    def _css_check_distributor_access(self, vals_list):
        given = {name for vals in vals_list for name, value in vals.items() if value}
        if self.env.su or not given & DISTRIBUTOR_FIELDS:
            return
        if not self.env.user.has_group("crm_haier_css.group_css_manager"):
            raise AccessError(
                self.env._(
                    "Only the service manager may change the terms of a distributor."
                )
            )

    def _css_authorised_categories(self):
        """Return the categories the distributor may sell, subcategories included."""
        self.ensure_one()
        return self.env["product.category"].search(
            [("id", "child_of", self.product_category_ids.ids)]
        )

    def action_css_view_distributor_assets(self):
        """Open the registered products this distributor sold."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_asset"
        )
        action["domain"] = [("distributor_id", "=", self.id)]
        action["context"] = {"default_distributor_id": self.id}
        return action
