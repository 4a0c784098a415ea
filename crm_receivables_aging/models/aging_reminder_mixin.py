# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class AgingReminderMixin(models.AbstractModel):
    """What a reminder is about: the customer, its level and invoices. Shared by
    the sent reminders and the wizard's previews, so that one mail template
    renders both."""

    _name = "aging.reminder.mixin"
    _description = "Reminder Content"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    level_id = fields.Many2one(
        "aging.reminder.level",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    move_ids = fields.Many2many("account.move", string="Invoices")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_residual = fields.Monetary(
        compute="_compute_amount_residual", string="Amount due"
    )

    @api.depends("move_ids.amount_residual")
    def _compute_amount_residual(self):
        for reminder in self:
            reminder.amount_residual = sum(reminder.move_ids.mapped("amount_residual"))

    def _get_overdue_moves(self):
        """The invoices of this reminder already past their due date."""
        today = fields.Date.context_today(self)
        return self.move_ids.filtered(lambda move: move.invoice_date_due < today)

    def _get_upcoming_moves(self):
        """The invoices of this reminder not due yet."""
        return self.move_ids - self._get_overdue_moves()
