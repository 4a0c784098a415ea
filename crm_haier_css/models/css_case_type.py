# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .css_case_selections import CASE_TYPES


class CssCaseType(models.Model):
    """The case types as records, so that a skill can name several of them."""

    _name = "css.case.type"
    _description = "Service Case Type"
    _order = "id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(CASE_TYPES, required=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each case type exists once."),
    ]
