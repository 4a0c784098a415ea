# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# name, days_from, days_to: the first bucket also takes everything due later,
# and a days_to of 0 on the last one means no upper limit. The names are
# translated into the installed languages when a company gets them.
DEFAULT_BUCKETS = [
    (_lt("Not due"), 0, 0),
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    (_lt("Over 180"), 181, 0),
]


class AgingBucket(models.Model):
    _name = "aging.bucket"
    _description = "Aging Bucket"
    _order = "company_id, days_from, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    days_from = fields.Integer(
        "From (days overdue)",
        required=True,
        help="First day overdue counted in this bucket. The first bucket of a "
        "company also takes every amount not due yet.",
    )
    days_to = fields.Integer(
        "To (days overdue)",
        help="Last day overdue counted in this bucket. Leave 0 on the last "
        "bucket for no upper limit.",
    )

    @api.constrains("days_from", "days_to", "company_id")
    def _check_contiguous(self):
        if not self.env.context.get("aging_defer_bucket_check"):
            self.company_id._aging_check_buckets()

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        if not self.env.context.get("aging_defer_bucket_check"):
            companies._aging_check_buckets()
        return res

    def _check_bucket_chain(self):
        """Raise unless these buckets (of one company) cover every day once."""
        buckets = self.sorted(lambda b: (b.days_from, b.id))
        last = buckets[-1]
        for bucket in buckets - last:
            if bucket.days_to < bucket.days_from:
                raise ValidationError(
                    self.env._(
                        "Bucket %(name)s ends before it starts: set 'To' at or "
                        "after 'From'.",
                        name=bucket.name,
                    )
                )
        for previous, bucket in zip(buckets, buckets[1:], strict=False):
            if bucket.days_from != previous.days_to + 1:
                raise ValidationError(
                    self.env._(
                        "Aging buckets of %(company)s must follow each other "
                        "without gap or overlap: %(prev)s ends at day %(end)s, "
                        "so %(name)s must start at day %(start)s.",
                        company=bucket.company_id.name,
                        prev=previous.name,
                        end=previous.days_to,
                        name=bucket.name,
                        start=previous.days_to + 1,
                    )
                )
        if last.days_to:
            raise ValidationError(
                self.env._(
                    "The last bucket %(name)s must have no upper limit (leave "
                    "'To' at 0), otherwise older amounts would be left out.",
                    name=last.name,
                )
            )

    @api.model
    def _get_company_buckets(self, companies):
        """Buckets of the given companies by days, as a dict company id -> list of
        (bucket id, last day or None for the open end)."""
        result = {company.id: [] for company in companies}
        for bucket in self.sudo().search([("company_id", "in", companies.ids)]):
            result[bucket.company_id.id].append((bucket.id, bucket.days_to))
        for bucket_list in result.values():
            if bucket_list:
                bucket_list[-1] = (bucket_list[-1][0], None)
        return result
