# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import escape_psql

from ..tools.portal_input import PortalInputError, to_int


class CssAsset(models.Model):
    _name = "css.asset"
    _description = "Installed Product"
    _inherit = ["mail.thread", "mail.activity.mixin", "css.field.guard.mixin"]
    _order = "purchase_date desc, id desc"
    _rec_names_search = ["serial", "product_id", "partner_id"]
    _check_company_auto = True
    _css_system_fields = frozenset({"commercial_partner_id"})
    # What the portal's registration form offers: the warranty follows from
    # the product and the purchase date.
    _css_portal_create_fields = frozenset(
        {"partner_id", "product_id", "serial", "purchase_date", "company_id"}
    )

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    serial = fields.Char(string="Serial Number", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    # Life cycle
    purchase_date = fields.Date(tracking=True)
    install_date = fields.Date(string="Installation Date", tracking=True)
    warranty_end = fields.Date(
        compute="_compute_warranty_end",
        store=True,
        readonly=False,
        tracking=True,
        help="Computed from the purchase date and the product's warranty "
        "period; can be extended by hand.",
    )
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty", search="_search_under_warranty"
    )
    distributor_id = fields.Many2one(
        "res.partner", string="Sold by", help="Distributor that sold the product."
    )
    note = fields.Text()

    case_ids = fields.One2many("css.case", "asset_id", string="Cases")
    case_count = fields.Integer(compute="_compute_case_count")

    _sql_constraints = [
        (
            "serial_product_unique",
            "unique(product_id, serial)",
            "This serial number is already registered for this product.",
        ),
    ]

    @api.depends("product_id", "serial")
    def _compute_display_name(self):
        for asset in self:
            asset.display_name = (
                f"{asset.product_id.display_name or ''} ({asset.serial or ''})"
            )

    @api.depends("purchase_date", "install_date", "product_id")
    def _compute_warranty_end(self):
        for asset in self:
            start = asset.purchase_date or asset.install_date
            months = asset.product_id.product_tmpl_id.css_warranty_months
            asset.warranty_end = (
                start and months and start + relativedelta(months=months)
            )

    @api.depends("warranty_end")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for asset in self:
            asset.under_warranty = bool(
                asset.warranty_end and asset.warranty_end >= today
            )

    def _search_under_warranty(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        today = fields.Date.context_today(self)
        covered = (operator == "=") == bool(value)
        if covered:
            return [("warranty_end", ">=", today)]
        return ["|", ("warranty_end", "=", False), ("warranty_end", "<", today)]

    def _compute_case_count(self):
        counts = dict(
            self.env["css.case"]._read_group(
                [("asset_id", "in", self.ids)], ["asset_id"], ["__count"]
            )
        )
        for asset in self:
            asset.case_count = counts.get(asset, 0)

    @api.constrains("serial", "product_id")
    def _check_serial_unique(self):
        for asset in self:
            self._check_serial_available(asset.product_id, asset.serial, asset)

    @api.model
    def _check_serial_available(self, product, serial, asset=None):
        """Raise when ``serial`` is empty or already registered for ``product``.

        Checked as superuser: a customer registering a product on the portal
        must learn that the serial is taken even when it is someone else's.
        The serial is matched exactly (case aside, wildcards escaped), so the
        check tells whether one number is taken and nothing else. Called
        before writing too, so that the database constraint (kept against
        races) is not what the user meets.
        """
        if not (serial or "").strip():
            raise ValidationError(self.env._("Enter the serial number."))
        domain = [
            ("product_id", "=", product.id),
            ("serial", "=ilike", escape_psql(serial.strip())),
        ]
        if asset:
            domain.append(("id", "!=", asset.id))
        if self.sudo().with_context(active_test=False).search_count(domain, limit=1):
            raise ValidationError(
                self.env._(
                    "Serial number %(serial)s is already registered for "
                    "%(product)s. Check the number on the rating plate or "
                    "contact us.",
                    serial=serial.strip(),
                    product=product.display_name,
                )
            )

    @api.constrains("purchase_date", "install_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for asset in self:
            if asset.purchase_date and asset.purchase_date > today:
                raise ValidationError(
                    self.env._("The purchase date cannot be in the future.")
                )
            if (
                asset.purchase_date
                and asset.install_date
                and asset.install_date < asset.purchase_date
            ):
                raise ValidationError(
                    self.env._("A product cannot be installed before its purchase.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        Product = self.env["product.product"]
        for vals in vals_list:
            if vals.get("serial"):
                vals["serial"] = vals["serial"].strip()
            if vals.get("serial") and vals.get("product_id"):
                self._check_serial_available(
                    Product.browse(vals["product_id"]), vals["serial"]
                )
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_field_access([vals])
        if vals.get("serial"):
            vals = {**vals, "serial": vals["serial"].strip()}
        if "serial" in vals or "product_id" in vals:
            for asset in self:
                product = (
                    self.env["product.product"].browse(vals["product_id"])
                    if "product_id" in vals
                    else asset.product_id
                )
                self._check_serial_available(
                    product, vals.get("serial", asset.serial), asset
                )
        return super().write(vals)

    @api.model
    def _portal_register(self, form):
        """Register a product the customer posts on the portal, as the portal user.

        :param form: the posted strings (product_id, serial, purchase_date)
        :raise PortalInputError: one message per wrong field; nothing created
        """
        errors = {}
        serial = (form.get("serial") or "").strip()
        # Searched as the portal user: only products offered for registration.
        product = self.env["product.product"].search(
            [
                ("id", "=", to_int(form.get("product_id"))),
                ("css_portal_registrable", "=", True),
            ]
        )
        if not product:
            errors["product_id"] = self.env._("Choose the product.")
        if not serial:
            errors["serial"] = self.env._("Enter the serial number.")
        purchase_date = None
        if form.get("purchase_date"):
            try:
                purchase_date = fields.Date.to_date(form["purchase_date"])
            except ValueError:
                errors["purchase_date"] = self.env._("Enter a valid date.")
            if purchase_date and purchase_date > fields.Date.context_today(self):
                errors["purchase_date"] = self.env._(
                    "The purchase date cannot be in the future."
                )
        if errors:
            raise PortalInputError(errors)
        partner = self.env.user.partner_id
        try:
            with self.env.cr.savepoint():
                return self.create(
                    {
                        "partner_id": partner.id,
                        "product_id": product.id,
                        "serial": serial,
                        "purchase_date": purchase_date,
                        "company_id": partner.company_id.id or self.env.company.id,
                    }
                )
        except ValidationError as error:
            raise PortalInputError({"serial": error.args[0]}) from error

    def action_view_cases(self):
        """Open the cases of this product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_case"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {
            "default_asset_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
