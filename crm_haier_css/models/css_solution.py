# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CssSolution(models.Model):
    _name = "css.solution"
    _description = "Knowledge Base Solution"
    _inherit = ["mail.thread"]
    _order = "sequence, id desc"

    name = fields.Char(string="Title", required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_published = fields.Boolean(
        string="Published on Portal",
        tracking=True,
        help="Published solutions can be read by customers on the portal.",
    )
    symptom = fields.Text(translate=True)
    content = fields.Html(string="Solution", translate=True, sanitize=True)
    product_tmpl_ids = fields.Many2many("product.template", string="Products")
    product_category_ids = fields.Many2many(
        "product.category", string="Product Categories"
    )
    fault_code_ids = fields.Many2many(
        "css.fault.code",
        "css_solution_fault_code_rel",
        "solution_id",
        "fault_code_id",
        string="Fault Codes",
    )
    case_count = fields.Integer(
        compute="_compute_case_count", help="Cases this solution resolved."
    )

    def _compute_case_count(self):
        counts = dict(
            self.env["css.case"]._read_group(
                [("solution_id", "in", self.ids)], ["solution_id"], ["__count"]
            )
        )
        for solution in self:
            solution.case_count = counts.get(solution, 0)

    def _search_for(self, product, fault_code, limit=10):
        """Return solutions matching a product and/or a fault code, best first.

        A solution for the fault code ranks before one that only matches the
        product or its category.
        """
        domains = []
        if fault_code:
            domains.append([("fault_code_ids", "in", fault_code.ids)])
        if product:
            domains.append(
                [
                    "|",
                    ("product_tmpl_ids", "in", product.product_tmpl_id.ids),
                    ("product_category_ids", "parent_of", product.categ_id.ids),
                ]
            )
        found = self.browse()
        for domain in domains:
            found |= self.search(domain, limit=limit)
        return found[:limit]

    def action_apply_to_case(self):
        """Record this solution on the case given in context and note it."""
        self.ensure_one()
        case = self.env["css.case"].browse(self.env.context.get("css_case_id"))
        if not case.exists():
            return False
        case.solution_id = self
        case.message_post(
            body=self.content or self.name,
            subject=self.name,
            subtype_xmlid="mail.mt_note",
        )
        return True
