# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CssSkill(models.Model):
    """A skill a technician holds while one of his certifications of it is valid."""

    _name = "css.skill"
    _description = "Technician Skill"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Text()
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Visits on products of these categories (or their subcategories) "
        "need this skill. Empty: any product.",
    )
    case_type_ids = fields.Many2many(
        "css.case.type",
        string="Case Types",
        help="Visits for these types of request need this skill. Empty: any type.",
    )
    case_types = fields.Char(
        string="Case Type Codes",
        compute="_compute_case_types",
        help="Codes of the case types, comma-separated (for the API).",
    )
    certification_ids = fields.One2many("css.certification", "skill_id")

    _sql_constraints = [
        ("name_unique", "unique(name)", "A skill with this name already exists."),
    ]

    @api.depends("case_type_ids")
    def _compute_case_types(self):
        for skill in self:
            skill.case_types = ",".join(skill.case_type_ids.mapped("code"))

    def _needed_for(self, categ, case_type):
        """The skills among ``self`` a visit on ``categ`` for ``case_type`` needs.

        A skill with neither categories nor case types is never needed by
        itself; one with both needs both to match.
        """
        ancestors = {int(cid) for cid in (categ.parent_path or "").split("/") if cid}
        return self.filtered(
            lambda skill: (
                (skill.product_category_ids or skill.case_type_ids)
                and (
                    not skill.product_category_ids
                    or ancestors & set(skill.product_category_ids.ids)
                )
                and (
                    not skill.case_type_ids
                    or case_type in skill.case_type_ids.mapped("code")
                )
            )
        )
