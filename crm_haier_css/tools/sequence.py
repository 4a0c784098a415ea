# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tools import SQL


def next_names(env, code, count, company=None):
    """``count`` references of the sequence ``code``, in one query.

    The sequence is the one ``ir.sequence.next_by_code`` would use for
    ``company`` (the current one by default). Sequences with no gap or with
    date ranges are drawn one by one, as ``next_by_code`` does.
    """
    if not count:
        return []
    company = company or env.company
    Sequence = env["ir.sequence"].sudo().with_company(company)
    sequence = Sequence.search(
        [("code", "=", code), ("company_id", "in", [company.id, False])],
        order="company_id",
        limit=1,
    )
    if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
        return [Sequence.next_by_code(code) or "/" for _index in range(count)]
    env.cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"ir_sequence_{sequence.id:03d}",
            count,
        )
    )
    # What ``get_next_char`` does, with the prefix and suffix interpolated
    # once rather than once per reference.
    prefix, suffix = sequence._get_prefix_suffix()
    return [
        f"{prefix}{row[0]:0{sequence.padding}d}{suffix}" for row in env.cr.fetchall()
    ]
