# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval


class CrmSegment(models.Model):
    _name = "crm.segment"
    _description = "Customer Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short identifier used in exports.")
    sequence = fields.Integer(
        default=10,
        help="Priority: a customer matching several segments gets the first one.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    domain = fields.Char(
        string="Assignment Rule",
        default="[]",
        required=True,
        help="Customers (commercial entities) matching this domain join the segment.",
    )

    partner_ids = fields.One2many("res.partner", "segment_id", string="Customers")
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The segment code must be unique."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("segment_id", "in", self.ids)], ["segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)

    @api.constrains("domain")
    def _check_domain(self):
        for segment in self:
            try:
                domain = self._parse_domain(segment.domain)
                self.env["res.partner"].search_count(domain, limit=1)
            except (SyntaxError, ValueError, NameError, KeyError, TypeError) as exc:
                raise ValidationError(
                    self.env._(
                        "The rule of segment %(segment)s is not a valid customer "
                        "filter: %(error)s",
                        segment=segment.name,
                        error=exc,
                    )
                ) from exc

    @api.model
    def _parse_domain(self, domain):
        result = safe_eval(domain or "[]", {"context_today": fields.Date.context_today})
        if not isinstance(result, list | tuple):
            raise ValueError(self.env._("a rule is a list of conditions"))
        return list(result)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_analytics.action_partner_segmented"
        )
        action["domain"] = [("segment_id", "=", self.id)]
        action["context"] = {"default_segment_id": self.id}
        return action

    def action_assign(self):
        """Assign every customer to the first segment whose rule it matches
        (managers only; the rules then write as the application)."""
        self.env["crm.customer.score"]._check_analytics_manager()
        self.env["crm.segment"].sudo()._assign_partners()
        return True

    @api.model
    def _assign_partners(self):
        """Rule-based assignment of all commercial entities, manual choices kept.

        Segments are applied from the lowest priority to the highest, so that
        a customer matching several ends with the first one: one search and
        one write per segment, whatever the number of customers.
        """
        Partner = self.env["res.partner"].with_context(
            active_test=False, crm_segment_by_rule=True
        )
        base = [("parent_id", "=", False), ("segment_locked", "=", False)]
        Partner.search(expression.AND([base, [("segment_id", "!=", False)]])).write(
            {"segment_id": False}
        )
        for segment in self.search([], order="sequence desc, id desc"):
            domain = expression.AND([base, self._parse_domain(segment.domain)])
            Partner.search(domain).write({"segment_id": segment.id})
        return True
