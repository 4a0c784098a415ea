# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # res.partner inherits aging.write.guard from crm_receivables_aging.

    segment_id = fields.Many2one(
        "crm.segment",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    segment_locked = fields.Boolean(
        string="Segment Set by Hand",
        help="Keep this segment when the segment rules run again.",
    )
    customer_score_ids = fields.One2many(
        "crm.customer.score", "partner_id", string="Customer Scores"
    )

    def _write_guarded_fields(self):
        # Segments are set by their rules (as the application) or by hand by
        # analytics managers, who decide on an exception to the rules.
        manager = "crm_analytics.group_analytics_manager"
        return {
            **super()._write_guarded_fields(),
            "segment_id": manager,
            "segment_locked": manager,
        }

    def write(self, vals):
        # A segment chosen by a person (form, import, RPC) is kept when the
        # rules run again; the rules themselves write with the context flag.
        if (
            "segment_id" in vals
            and "segment_locked" not in vals
            and not self.env.context.get("crm_segment_by_rule")
        ):
            vals = {**vals, "segment_locked": bool(vals["segment_id"])}
        return super().write(vals)

    def _cross_sell_domain(self):
        """Affinities from what the customer bought towards what it did not buy."""
        self.ensure_one()
        lines = self.env["sale.order.line"]._read_group(
            [
                ("order_id.partner_id", "child_of", self.commercial_partner_id.id),
                ("order_id.state", "=", "sale"),
                ("product_id", "!=", False),
            ],
            ["product_id"],
        )
        bought = [product.id for (product,) in lines]
        return [
            ("product_id", "in", bought),
            ("related_product_id", "not in", bought),
        ]

    def action_view_cross_sell(self):
        """Products the customer's peers buy with what it bought (analytics
        users), from the orders the user may read."""
        self.ensure_one()
        self.env["crm.product.affinity"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_analytics.action_crm_product_affinity"
        )
        action["domain"] = self._cross_sell_domain()
        action["display_name"] = self.env._(
            "Suggestions for %s", self.commercial_partner_id.display_name
        )
        action["context"] = {"search_default_group_related": 1}
        return action
