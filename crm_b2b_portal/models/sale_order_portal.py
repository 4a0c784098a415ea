# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    """What the Premier portal asks of a quote: build, change and reorder it.

    Each method checks its caller (the member, through the approval chain's
    checks) and writes as superuser afterwards, as portal users may not write
    sale orders through the ORM.
    """

    _inherit = "sale.order"

    @api.model
    def b2b_portal_new_quote(self):
        """Create an empty draft quote for the calling member."""
        member = self.env.user._b2b_member()
        if not (member and member.role_requester):
            raise AccessError(self.env._("Only requesters may build quotes."))
        account = member.account_id.sudo()
        order = self.sudo().create(
            {
                "partner_id": member.partner_id.id,
                "company_id": account.company_id.id,
                "b2b_account_id": account.id,
                "b2b_requester_id": member.id,
                "pricelist_id": account.pricelist_id.id,
                "user_id": account.user_id.id,
                "require_signature": False,
                "require_payment": False,
            }
        )
        return order.sudo(False)

    def b2b_portal_add_product(self, product_tmpl_id, value_ids, quantity):
        """Add the configured product to the quote at the account's prices."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        qty = self._b2b_parse_quantity(quantity)
        product, no_variant_values = self.b2b_account_id._b2b_configure(
            product_tmpl_id, value_ids
        )
        order = self.sudo()
        line = order.order_line.filtered(
            lambda ln: (
                ln.product_id == product
                and ln.product_no_variant_attribute_value_ids == no_variant_values
            )
        )[:1]
        if line:
            qty = self._b2b_parse_quantity(line.product_uom_qty + qty)
            line.product_uom_qty = qty
        else:
            order.order_line = [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "product_no_variant_attribute_value_ids": [
                            fields.Command.set(no_variant_values.ids)
                        ],
                    }
                )
            ]
        order._b2b_back_to_draft()
        return True

    def b2b_portal_set_quantity(self, line_id, quantity):
        """Change the quantity of one line of the quote."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        qty = self._b2b_parse_quantity(quantity)
        line = self._b2b_line(line_id)
        line.product_uom_qty = qty
        self.sudo()._b2b_back_to_draft()
        return True

    def b2b_portal_remove_line(self, line_id):
        """Remove one line of the quote."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        self._b2b_line(line_id).unlink()
        self.sudo()._b2b_back_to_draft()
        return True

    def b2b_portal_set_details(self, cost_center_id, client_order_ref, shipping_id):
        """Set the cost centre, the customer's PO reference and the delivery address."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        account = self.b2b_account_id.sudo()
        vals = {"client_order_ref": (client_order_ref or "").strip()[:64] or False}
        center = account.cost_center_ids.filtered(lambda c: c.id == cost_center_id)
        if cost_center_id and not center:
            raise UserError(self.env._("Choose one of your account's cost centres."))
        vals["b2b_cost_center_id"] = center.id
        if shipping_id:
            address = account.delivery_address_ids.filtered(
                lambda a: a.id == shipping_id
            )
            if not address:
                raise UserError(
                    self.env._("Choose one of your account's delivery addresses.")
                )
            vals["partner_shipping_id"] = address.id
        self.sudo().write(vals)
        self.sudo()._b2b_back_to_draft()
        return True

    def action_b2b_duplicate(self):
        """Start a new draft of the calling member with this quote's products.

        The lines are built anew, at the account's prices of today; products no
        longer in the account's catalog are left out, and the new quote says
        so in its chatter.
        """
        self.ensure_one()
        member = self._b2b_acting_member()
        if not (member and member.role_requester):
            raise AccessError(self.env._("Only requesters may build quotes."))
        source = self.sudo()
        lines = source.order_line.filtered(lambda line: not line.display_type)
        available = source._b2b_catalog_variants(lines)
        kept = lines.filtered(lambda line: line.product_id in available)
        if not kept:
            raise UserError(
                self.env._(
                    "None of the products of %s is in your catalog any more.",
                    source.name,
                )
            )
        order = self.b2b_portal_new_quote()
        order_sudo = order.sudo()
        order_sudo.write(source._b2b_reorder_vals(kept))
        order_sudo.message_post(
            body=order_sudo._b2b_reorder_note(source),
            author_id=member.partner_id.id,
        )
        return order

    def _b2b_reorder_vals(self, lines):
        """Values of a new quote with ``lines`` of this one, at today's prices,
        and its cost centre and delivery address if the account still has them."""
        self.ensure_one()
        account = self.b2b_account_id
        vals = {
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_uom_qty,
                        "product_no_variant_attribute_value_ids": [
                            fields.Command.set(
                                line.product_no_variant_attribute_value_ids.ids
                            )
                        ],
                    }
                )
                for line in lines
            ]
        }
        if self.b2b_cost_center_id in account.cost_center_ids:
            vals["b2b_cost_center_id"] = self.b2b_cost_center_id.id
        if self.partner_shipping_id in account.delivery_address_ids:
            vals["partner_shipping_id"] = self.partner_shipping_id.id
        return vals

    def _b2b_reorder_note(self, source):
        """What a reorder of ``source`` into this quote kept and left out."""
        self.ensure_one()
        note = self.env._(
            "Reordered from %s at today's prices of the account.", source.name
        )
        dropped = self._b2b_reorder_dropped(source)
        if dropped:
            note += " " + self.env._(
                "Left out, no longer in the catalog: %s.",
                ", ".join(dropped.mapped("display_name")),
            )
        return note

    def _b2b_reorder_dropped(self, source):
        """Products of ``source`` that its reorder into this quote left out."""
        return source.sudo().order_line.product_id - self.sudo().order_line.product_id

    def _b2b_catalog_variants(self, lines):
        """The products of ``lines`` that the account may still buy."""
        self.ensure_one()
        account = self.b2b_account_id.sudo()
        templates = account.env["product.template"].search(
            [
                ("id", "in", lines.product_id.product_tmpl_id.ids),
                *account._catalog_domain(),
            ]
        )
        return lines.product_id.filtered(
            lambda product: product.active and product.product_tmpl_id in templates
        )

    def _b2b_line(self, line_id):
        line = self.sudo().order_line.filtered(lambda ln: ln.id == line_id)
        if not line:
            raise UserError(
                self.env._("This line is no longer on the quote; reload the page.")
            )
        return line

    def _b2b_back_to_draft(self):
        self.sudo().filtered(lambda o: o.b2b_state == "rejected").write(
            {"b2b_state": "draft"}
        )

    def _b2b_parse_quantity(self, raw):
        """Return ``raw`` as a quantity, or raise a message saying what is wrong."""
        self.ensure_one()
        try:
            qty = float(str(raw).strip().replace(",", "."))
        except (TypeError, ValueError):
            raise UserError(self.env._("Enter the quantity as a number.")) from None
        limit = self.b2b_account_id.sudo().max_line_quantity
        if not (qty > 0):
            raise UserError(self.env._("Enter a quantity above zero."))
        if qty > limit:
            raise UserError(
                self.env._("Order at most %s units on one line.", format(limit, "g"))
            )
        return qty
