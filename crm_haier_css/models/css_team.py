# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CssTeam(models.Model):
    _name = "css.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Receives the first-level SLA escalations and poor-rating alerts.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "css_team_member_rel",
        "team_id",
        "user_id",
        string="Agents",
        domain="[('share', '=', False)]",
    )
    case_ids = fields.One2many("css.case", "team_id", string="Cases")
    open_case_count = fields.Integer(compute="_compute_open_case_count")

    def _compute_open_case_count(self):
        counts = dict(
            self.env["css.case"]._read_group(
                [("team_id", "in", self.ids), ("is_open", "=", True)],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_case_count = counts.get(team, 0)

    def action_view_open_cases(self):
        """Open the team's open cases."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_case"
        )
        action["domain"] = [("team_id", "=", self.id), ("is_open", "=", True)]
        action["context"] = {"default_team_id": self.id}
        return action
