# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Number the chains of quotes submitted before 18.0.1.1.0.

Confirmation now checks the chain of the quote's last submission and that the
quote is unchanged since. Quotes pending or approved at the upgrade become
submission 1 with their open and approved steps, and their submitted
fingerprint is taken as they stand (any change made before the upgrade had
already sent them back to draft).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    orders = env["sale.order"].search(
        [("b2b_state", "in", ("pending", "approved")), ("b2b_submission", "=", 0)]
    )
    for order in orders:
        order.b2b_approval_ids.filtered(
            lambda step: step.state in ("waiting", "pending", "approved")
        ).write({"submission": 1})
        order.write(
            {
                "b2b_submission": 1,
                "b2b_submitted_fingerprint": order._b2b_fingerprint(),
            }
        )
