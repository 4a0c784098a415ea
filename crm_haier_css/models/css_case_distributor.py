# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CssCase(models.Model):
    """Cases of distributors: their reference and the distributor owning them."""

    _name = "css.case"
    _inherit = ["css.case", "css.external.ref.mixin"]
    # The sender's reference and the distributor it belongs to are given
    # when the case is created (API, import); changing them afterwards would
    # make the sender's retry create a duplicate.
    _css_create_only_fields = frozenset({"external_ref", "distributor_id"})

    distributor_id = fields.Many2one(
        "res.partner",
        string="Distributor",
        compute="_compute_distributor_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('is_distributor', '=', True)]",
        help="The distributor the case belongs to: the one whose system sent "
        "it (its external reference is in that distributor's numbering), "
        "else the one running the outlet the case is routed to.",
    )

    @api.depends("service_center_id.distributor_id")
    def _compute_distributor_id(self):
        for case in self:
            # A reference stays in the numbering of the distributor it came with.
            if not case.external_ref:
                case.distributor_id = case.service_center_id.distributor_id

    @api.model
    def _css_distributor_of_vals(self, vals):
        distributor_id = super()._css_distributor_of_vals(vals)
        if not distributor_id and vals.get("service_center_id"):
            outlet = (
                self.env["css.service.center"].sudo().browse(vals["service_center_id"])
            )
            distributor_id = outlet.distributor_id.id
        return distributor_id

    @api.model_create_multi
    def create(self, vals_list):
        return self._css_create_once(vals_list, super().create)
