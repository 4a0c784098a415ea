# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CssFaultCode(models.Model):
    _name = "css.fault.code"
    _description = "Fault Code"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Symptom", required=True, translate=True)
    active = fields.Boolean(default=True)
    product_category_ids = fields.Many2many(
        "product.category", string="Product Categories"
    )
    description = fields.Text(translate=True)
    solution_ids = fields.Many2many(
        "css.solution",
        "css_solution_fault_code_rel",
        "fault_code_id",
        "solution_id",
        string="Solutions",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "A fault code must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for fault in self:
            fault.display_name = f"[{fault.code}] {fault.name}"
