# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

CASE_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "in_progress", "waiting")
DONE_STATES = ("resolved", "closed", "cancelled")


class CssStage(models.Model):
    _name = "css.stage"
    _description = "Service Case Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        CASE_STATES,
        required=True,
        default="in_progress",
        help="Lifecycle state that a case in this stage is in; the case's own "
        "state is derived from it.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Closing stages are usually folded in the kanban view.",
    )
    is_closing = fields.Boolean(
        compute="_compute_is_closing",
        store=True,
        help="Cases in this stage no longer count as open work.",
    )
    description = fields.Text(translate=True)

    @api.depends("state")
    def _compute_is_closing(self):
        for stage in self:
            stage.is_closing = stage.state in DONE_STATES
