# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from ..tools.field_guard import check_field_access
from ..tools.phone import normalize_phone
from ..tools.territory import parse_prefixes

# The caller lookup trusts these: they follow the numbers, never a caller.
CSS_PARTNER_SYSTEM_FIELDS = frozenset({"css_phone_normalized", "css_mobile_normalized"})

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

    css_phone_normalized = fields.Char(
        string="Normalised Phone",
        compute="_compute_css_phone_normalized",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    css_mobile_normalized = fields.Char(
        string="Normalised Mobile",
        compute="_compute_css_phone_normalized",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    # The mail gateway looks up the sender of every incoming e-mail by its
    # normalized address (author, bounce check, followers); mail declares
    # the field without an index, which costs a sequential scan of all
    # contacts per e-mail received at the service alias.
    email_normalized = fields.Char(index="btree_not_null")
    css_case_ids = fields.One2many("css.case", "partner_id", string="Cases")
    css_case_count = fields.Integer(
        string="Service Cases", compute="_compute_css_counts"
    )
    css_asset_count = fields.Integer(
        string="Registered Products", compute="_compute_css_counts"
    )
    css_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_css_duplicate_ids",
    )

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

    @api.model_create_multi
    def create(self, vals_list):
        check_field_access(
            self, vals_list, create=True, system_fields=CSS_PARTNER_SYSTEM_FIELDS
        )
        self._css_check_distributor_access(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_field_access(self, [vals], system_fields=CSS_PARTNER_SYSTEM_FIELDS)
        self._css_check_distributor_access([vals])
        return super().write(vals)

    @api.model
    def _css_country_code(self, country=None):
        country = country or self.env.company.country_id
        return country.phone_code or None

    @api.depends("phone", "mobile", "country_id")
    def _compute_css_phone_normalized(self):
        for partner in self:
            code = self._css_country_code(partner.country_id)
            partner.css_phone_normalized = normalize_phone(partner.phone, code)
            partner.css_mobile_normalized = normalize_phone(partner.mobile, code)

    def _compute_css_counts(self):
        commercial = self.commercial_partner_id
        cases = dict(
            self.env["css.case"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        assets = dict(
            self.env["css.asset"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.css_case_count = cases.get(partner.commercial_partner_id, 0)
            partner.css_asset_count = assets.get(partner.commercial_partner_id, 0)

    @api.depends("name", "email", "phone", "mobile", "country_id")
    def _compute_css_duplicate_ids(self):
        for partner in self:
            partner.css_duplicate_ids = partner._css_find_duplicates()

    def _css_find_duplicates(self, limit=5):
        """Return existing partners that look like this one.

        Same normalised phone or mobile, same normalised e-mail, or a very
        similar name; used to warn before a second record of a customer is
        saved.
        """
        self.ensure_one()
        code = self._css_country_code(self.country_id)
        numbers = {
            normalize_phone(self.phone, code),
            normalize_phone(self.mobile, code),
        } - {False}
        domains = []
        if numbers:
            domains += [
                [("css_phone_normalized", "in", list(numbers))],
                [("css_mobile_normalized", "in", list(numbers))],
            ]
        if self.email and "@" in self.email:
            domains.append([("email_normalized", "=", self.email.strip().lower())])
        name = (self.name or "").strip()
        if len(name) >= 4:
            domains.append([("name", "=ilike", name)])
        if not domains:
            return self.browse()
        own_id = self._origin.id
        domain = expression.AND(
            [
                expression.OR(domains),
                [("id", "!=", own_id)] if own_id else [],
                [("id", "not in", self.commercial_partner_id._origin.ids)]
                if self.parent_id
                else [],
            ]
        )
        return self.search(domain, limit=limit)

    @api.model
    def _css_search_by_phone(self, number, limit=20):
        """Return the partners whose phone or mobile matches ``number``.

        Both sides go through the same normaliser, so any written format of a
        number finds the caller through the indexed normalised columns.
        """
        normalized = normalize_phone(number, self._css_country_code())
        if not normalized:
            return self.browse()
        return self.search(
            [
                "|",
                ("css_phone_normalized", "=", normalized),
                ("css_mobile_normalized", "=", normalized),
            ],
            limit=limit,
        )

    @api.model
    def css_find_callers(self, number):
        """Return id, name, phone, mobile and e-mail of the callers with ``number``.

        Public entry point of the caller lookup for telephony and distributor
        systems using the external API. Reserved to service agents: it finds
        any customer by number.
        """
        if not self.env.user.has_group("crm_haier_css.group_css_agent"):
            raise AccessError(
                self.env._("Only service agents may look callers up by number.")
            )
        return self._css_search_by_phone(number).read(
            ["name", "phone", "mobile", "email", "commercial_partner_id"]
        )

    def action_css_view_cases(self):
        """Open the service cases of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_case"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_css_view_assets(self):
        """Open the registered products of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_asset"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

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
