# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import unicodedata

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from .aging_report_line import CREDIT_COLUMN, bucket_column

# Exposure figures over the open lines ``l`` of ``_aging_lines_sql``: past due
# always counts from the due date (``due_days``), whatever the aging basis.
EXPOSURE_COLUMNS = [
    (
        "overdue",
        SQL(
            "COALESCE(SUM(l.residual) FILTER ("
            "WHERE l.residual > 0 AND l.due_days > 0), 0)"
        ),
    ),
    (
        "unapplied_credits",
        SQL("COALESCE(-SUM(l.residual) FILTER (WHERE l.residual < 0), 0)"),
    ),
    (
        "max_days_past_due",
        SQL("GREATEST(COALESCE(MAX(l.due_days) FILTER (WHERE l.residual > 0), 0), 0)"),
    ),
]


def _text_width(text):
    """Width of a text in characters of a spreadsheet column: East Asian wide
    characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


GROUP_BY_COLUMNS = {
    "partner": "partner_id",
    "salesperson": "user_id",
    "company": "company_id",
}


class AgingReport(models.TransientModel):
    _name = "aging.report"
    _description = "Receivables Aging Report"

    as_of_date = fields.Date(required=True, default=fields.Date.context_today)
    group_by = fields.Selection(
        [
            ("partner", "Customer"),
            ("salesperson", "Salesperson"),
            ("company", "Company"),
        ],
        required=True,
        default="partner",
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Leave empty for all customers.",
    )
    xlsx_file = fields.Binary("Spreadsheet", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_items(self):
        """Open the open items as of the report date, grouped as asked."""
        self.ensure_one()
        self._fill_items()
        group_field = GROUP_BY_COLUMNS[self.group_by]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Aging as of %(date)s", date=format_date(self.env, self.as_of_date)
            ),
            "res_model": "aging.report.line",
            "view_mode": "pivot,list,graph",
            "domain": [("report_id", "=", self.id)],
            "context": {
                "pivot_row_groupby": [group_field],
                "pivot_column_groupby": ["age_column"],
                "pivot_measures": ["amount_residual"],
                "graph_groupbys": [group_field, "age_column"],
                "search_default_group_" + group_field: 1,
            },
        }

    def action_print_pdf(self):
        """Print the aging table as PDF."""
        self.ensure_one()
        return self.env.ref("crm_receivables_aging.action_report_aging").report_action(
            self
        )

    def action_export_xlsx(self):
        """Download the aging table as an XLSX spreadsheet."""
        self.ensure_one()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._render_xlsx()),
                "xlsx_filename": f"aging_{self.as_of_date}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/aging.report/{self.id}/xlsx_file/"
            f"{self.xlsx_filename}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Aging engine
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def compute_aging(
        self, as_of_date=None, partner_ids=None, company_ids=None, group_by="partner"
    ):
        """Age the receivables as of a date in one SQL query.

        Returns one dict per group (customer, salesperson or company) and company
        currency with ``total``, ``not_due``, ``due_today``, ``due_this_week``,
        ``max_days_overdue`` and ``buckets``: the amount of each bucket by id;
        and the exposure figures of ``EXPOSURE_COLUMNS``, which count from the
        due date whatever the aging basis.
        """
        if group_by not in GROUP_BY_COLUMNS:
            raise UserError(
                self.env._(
                    "Group the aging by customer, salesperson or company, not %(by)s.",
                    by=group_by,
                )
            )
        as_of_date, companies = self._check_aging_params(
            as_of_date, company_ids, partner_ids
        )
        key = GROUP_BY_COLUMNS[group_by]
        company_buckets = self.env["aging.bucket"]._get_company_buckets(companies)
        bucket_ids = [b for buckets in company_buckets.values() for b, _to in buckets]
        lines = self._aging_lines_sql(
            as_of_date,
            companies,
            partner_ids,
            company_buckets,
            with_salesperson=group_by == "salesperson",
        )
        week_left = 6 - as_of_date.weekday()
        query = SQL(
            """
            SELECT %(key)s, l.currency_id,
                   SUM(l.residual) AS total,
                   COALESCE(SUM(l.residual) FILTER (
                       WHERE l.days <= 0 AND l.residual > 0), 0),
                   COALESCE(SUM(l.residual) FILTER (
                       WHERE l.days = 0 AND l.residual > 0), 0),
                   COALESCE(SUM(l.residual) FILTER (
                       WHERE l.days <= 0 AND l.days >= %(week_left)s
                             AND l.residual > 0), 0),
                   COALESCE(MAX(l.days) FILTER (WHERE l.residual > 0), 0),
                   %(exposure)s
                   %(bucket_sums)s
              FROM (%(lines)s) l
             GROUP BY %(key)s, l.currency_id
             ORDER BY total DESC, %(key)s
            """,
            key=SQL.identifier("l", key),
            week_left=-week_left,
            exposure=SQL(", ").join(column for _name, column in EXPOSURE_COLUMNS),
            bucket_sums=self._bucket_sums_sql(bucket_ids),
            lines=lines,
        )
        self.env.cr.execute(query)
        rows = []
        first_bucket = 7 + len(EXPOSURE_COLUMNS)
        for record in self.env.cr.fetchall():
            group_id, currency_id, total, not_due, today, week, max_days = record[:7]
            rows.append(
                {
                    key: group_id,
                    "currency_id": currency_id,
                    "total": total,
                    "not_due": not_due,
                    "due_today": today,
                    "due_this_week": week,
                    "max_days_overdue": max(max_days, 0),
                    **self._exposure_figures(record[7:first_bucket]),
                    "buckets": dict(
                        zip(bucket_ids, record[first_bucket:], strict=True)
                    ),
                }
            )
        return rows

    @api.model
    def _get_exposure(self, as_of_date=None, company_ids=None, partner_ids=None):
        """Receivable exposure per customer and company, in one SQL statement:
        {(partner id, company id): figures}, the figures being ``total``,
        ``not_due``, ``buckets`` (as the aging) and ``overdue``,
        ``unapplied_credits``, ``net_overdue``, ``max_days_past_due`` (from the
        due date, see ``_exposure_figures``). The one definition of what a
        customer owes and how late, for the credit hold, the reminders, the
        scores and the phone card."""
        as_of_date, companies = self._check_aging_params(
            as_of_date, company_ids, partner_ids
        )
        company_buckets = self.env["aging.bucket"]._get_company_buckets(companies)
        bucket_ids = [b for buckets in company_buckets.values() for b, _to in buckets]
        lines = self._aging_lines_sql(
            as_of_date, companies, partner_ids, company_buckets, with_salesperson=False
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT l.partner_id, l.company_id, SUM(l.residual),
                       COALESCE(SUM(l.residual) FILTER (
                           WHERE l.days <= 0 AND l.residual > 0), 0),
                       %(exposure)s
                       %(bucket_sums)s
                  FROM (%(lines)s) l
                 WHERE l.partner_id IS NOT NULL
                 GROUP BY l.partner_id, l.company_id
                """,
                exposure=SQL(", ").join(column for _name, column in EXPOSURE_COLUMNS),
                bucket_sums=self._bucket_sums_sql(bucket_ids),
                lines=lines,
            )
        )
        first_bucket = 4 + len(EXPOSURE_COLUMNS)
        return {
            (record[0], record[1]): {
                "total": record[2],
                "not_due": record[3],
                **self._exposure_figures(record[4:first_bucket]),
                "buckets": {
                    bucket_id: amount
                    for bucket_id, amount in zip(
                        bucket_ids, record[first_bucket:], strict=True
                    )
                    if amount
                },
            }
            for record in self.env.cr.fetchall()
        }

    @api.model
    def _bucket_sums_sql(self, bucket_ids):
        """Columns summing what is owed on the open lines ``l`` of each bucket.

        Unapplied credits (credit notes, payments not matched yet) are no amount
        owed at an age: they have their own column (``unapplied_credits``), so
        that the total is the buckets less the credits."""
        return SQL("").join(
            SQL(
                ", COALESCE(SUM(l.residual) FILTER ("
                "WHERE l.bucket_id = %s AND l.residual > 0), 0)",
                bucket_id,
            )
            for bucket_id in bucket_ids
        )

    @api.model
    def _exposure_figures(self, values):
        """Named exposure figures from the values of ``EXPOSURE_COLUMNS``:
        ``net_overdue`` is what is past due once the unapplied credits (credit
        notes, payments not matched yet) are set against it."""
        figures = dict(
            zip((name for name, _sql in EXPOSURE_COLUMNS), values, strict=True)
        )
        figures["net_overdue"] = max(
            figures["overdue"] - figures["unapplied_credits"], 0.0
        )
        return figures

    @api.model
    def _check_aging_params(self, as_of_date, company_ids, partner_ids):
        """Validate the date, companies and customers; return the date and the
        companies as a recordset."""
        self.env["account.move.line"].check_access("read")
        user = self.env.user
        own_only = not (
            self.env.su
            or user.has_group("crm_receivables_aging.group_aging_collector")
            or user.has_group("account.group_account_invoice")
            or user.has_group("account.group_account_readonly")
        )
        # The query bypasses record rules: others only see their own account.
        if own_only and (
            not partner_ids or set(partner_ids) - set(user.commercial_partner_id.ids)
        ):
            raise AccessError(
                self.env._("You may only see the receivables of your own account.")
            )
        # The aging reads the tables directly: write pending changes first.
        self.env.flush_all()
        today = fields.Date.context_today(self)
        as_of_date = fields.Date.to_date(as_of_date) if as_of_date else today
        if as_of_date > today:
            raise UserError(
                self.env._(
                    "Aging as of %(date)s is not possible: choose today or a past "
                    "date.",
                    date=as_of_date,
                )
            )
        companies = (
            self.env["res.company"].browse(company_ids)
            if company_ids
            else self.env.companies
        )
        if not self.env.su and companies - self.env.user.company_ids:
            raise AccessError(
                self.env._("You may only age the receivables of your own companies.")
            )
        return as_of_date, companies

    @api.model
    def _aging_lines_sql(
        self, as_of_date, companies, partner_ids, company_buckets, with_salesperson
    ):
        """SQL selecting every open receivable line as of the date, with its
        residual then, days overdue and bucket.

        The residual as of the date is the residual now plus the reconciliations
        dated after it: it equals the balance less the partial reconciliations
        whose max date is on or before the date, but only touches the partials
        that are later than the date, so the query stays as fast as a plain scan
        of the open lines.
        """
        invoice_basis = companies.filtered(
            lambda c: c.aging_date_basis == "invoice_date"
        )
        due_date = SQL("COALESCE(aml.date_maturity, aml.date)")
        invoice_date = SQL("COALESCE(aml.invoice_date, aml.date)")
        if not invoice_basis:
            ref_date = due_date
        elif invoice_basis == companies:
            ref_date = invoice_date
        else:
            ref_date = SQL(
                "CASE WHEN aml.company_id IN %s THEN %s ELSE %s END",
                tuple(invoice_basis.ids),
                invoice_date,
                due_date,
            )
        receivable_accounts = (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("account_type", "=", "asset_receivable"),
                    ("company_ids", "in", companies.ids),
                ]
            )
        )
        filters = [
            SQL("aml.parent_state = 'posted'"),
            SQL("aml.account_id IN %s", tuple(receivable_accounts.ids) or (None,)),
            SQL("aml.company_id IN %s", tuple(companies.ids)),
            SQL("aml.date <= %s", as_of_date),
        ]
        if partner_ids:
            filters.append(SQL("aml.partner_id IN %s", tuple(partner_ids)))
        where = SQL(" AND ").join(filters)
        salesperson = (
            SQL(
                "(SELECT move.invoice_user_id FROM account_move move "
                "WHERE move.id = aml.move_id)"
            )
            if with_salesperson
            else SQL("NULL::int")
        )
        columns = SQL(
            "aml.id AS line_id, aml.move_id, aml.partner_id, aml.company_id, "
            "aml.company_currency_id AS currency_id, %s AS user_id, "
            "%s - %s AS days, %s - %s AS due_days",
            salesperson,
            as_of_date,
            ref_date,
            as_of_date,
            due_date,
        )
        return SQL(
            """
            WITH later AS (
                SELECT partials.line_id, SUM(partials.amount) AS amount
                  FROM (
                      SELECT debit_move_id AS line_id, amount
                        FROM account_partial_reconcile
                       WHERE max_date > %(date)s AND company_id IN %(companies)s
                      UNION ALL
                      SELECT credit_move_id, -amount
                        FROM account_partial_reconcile
                       WHERE max_date > %(date)s AND company_id IN %(companies)s
                  ) partials
                 GROUP BY partials.line_id
            )
            SELECT open_line.*, %(bucket)s AS bucket_id
              FROM (
                  SELECT %(columns)s,
                         aml.amount_residual + COALESCE(later.amount, 0) AS residual
                    FROM account_move_line aml
                    LEFT JOIN later ON later.line_id = aml.id
                   WHERE aml.reconciled IS NOT TRUE AND %(where)s
                  UNION ALL
                  SELECT %(columns)s, aml.amount_residual + later.amount
                    FROM later
                    JOIN account_move_line aml ON aml.id = later.line_id
                   WHERE aml.reconciled AND %(where)s
              ) open_line
             WHERE open_line.residual <> 0
            """,
            date=as_of_date,
            companies=tuple(companies.ids),
            columns=columns,
            where=where,
            bucket=self._bucket_case_sql(company_buckets),
        )

    @api.model
    def _bucket_case_sql(self, company_buckets):
        """CASE expression giving the bucket id of open_line.days per company."""
        whens = []
        for company_id, buckets in company_buckets.items():
            for bucket_id, days_to in buckets:
                condition = SQL("open_line.company_id = %s", company_id)
                if days_to is not None:
                    condition = SQL("%s AND open_line.days <= %s", condition, days_to)
                whens.append(SQL("WHEN %s THEN %s", condition, bucket_id))
        if not whens:
            return SQL("NULL::int")
        return SQL("CASE %s END", SQL(" ").join(whens))

    # ------------------------------------------------------------------
    # Report data shared by the screen, PDF and XLSX
    # ------------------------------------------------------------------

    def _fill_items(self):
        """Store the open items of this report as aging.report.line rows."""
        self.ensure_one()
        as_of_date, companies = self._check_aging_params(
            self.as_of_date, self.company_ids.ids, self.partner_ids.ids
        )
        # Open items are the report's to write: users only read them.
        self.env["aging.report.line"].sudo().search(
            [("report_id", "=", self.id)]
        ).unlink()
        company_buckets = self.env["aging.bucket"]._get_company_buckets(companies)
        lines = self._aging_lines_sql(
            as_of_date,
            companies,
            self.partner_ids.ids,
            company_buckets,
            with_salesperson=True,
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO aging_report_line (
                    report_id, move_line_id, move_id, partner_id, user_id,
                    company_id, currency_id, days_overdue, bucket_id, age_column,
                    amount_residual, create_uid, create_date, write_uid, write_date)
                SELECT %(report)s, l.line_id, l.move_id, l.partner_id, l.user_id,
                       l.company_id, l.currency_id, l.days, l.bucket_id,
                       CASE WHEN l.residual < 0 THEN %(credit)s ELSE %(column)s END,
                       l.residual, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM (%(lines)s) l
                """,
                report=self.id,
                credit=CREDIT_COLUMN,
                column=self._bucket_column_sql(company_buckets),
                uid=self.env.uid,
                lines=lines,
            )
        )
        self.env["aging.report.line"].invalidate_model()

    @api.model
    def _bucket_column_sql(self, company_buckets):
        """CASE expression giving the ``age_column`` of the bucket l.bucket_id:
        its position in its company's chain."""
        whens = [
            SQL("WHEN %s THEN %s", bucket_id, bucket_column(position))
            for buckets in company_buckets.values()
            for position, (bucket_id, _days_to) in enumerate(buckets)
        ]
        if not whens:
            return SQL("NULL")
        return SQL("CASE l.bucket_id %s END", SQL(" ").join(whens))

    def _get_report_data(self):
        """Columns and rows of the aging table, as shown in the PDF and XLSX."""
        self.ensure_one()
        rows = self.compute_aging(
            as_of_date=self.as_of_date,
            partner_ids=self.partner_ids.ids,
            company_ids=self.company_ids.ids,
            group_by=self.group_by,
        )
        key = GROUP_BY_COLUMNS[self.group_by]
        model = self.env["aging.report.line"]._fields[key].comodel_name
        buckets = self.env["aging.bucket"].search(
            [("company_id", "in", (self.company_ids or self.env.companies).ids)]
        )
        # Companies sharing bucket names share the column.
        columns = list(dict.fromkeys(buckets.mapped("name")))
        names = dict(buckets.mapped(lambda b: (b.id, b.name)))
        records = self.env[model].browse([row[key] for row in rows if row[key]])
        # Customers by their stored full name, read in one narrow query:
        # computing the display names of 1,500 customers (each one's whole
        # row read for it) took a sixth of the XLSX's time.
        name_field = "complete_name" if model == "res.partner" else "display_name"
        display = dict(zip(records.ids, records.mapped(name_field), strict=True))
        currencies = self.env["res.currency"].browse({r["currency_id"] for r in rows})
        result = []
        for row in rows:
            by_name = dict.fromkeys(columns, 0.0)
            for bucket_id, amount in row["buckets"].items():
                by_name[names[bucket_id]] += amount
            result.append(
                {
                    "name": display.get(row[key]) or self.env._("Undefined"),
                    "currency": currencies.browse(row["currency_id"]),
                    "total": row["total"],
                    "not_due": row["not_due"],
                    "due_today": row["due_today"],
                    "due_this_week": row["due_this_week"],
                    "buckets": [by_name[name] for name in columns],
                    "unapplied_credits": -row["unapplied_credits"],
                    "max_days_overdue": row["max_days_overdue"],
                }
            )
        return {
            "columns": columns,
            "rows": result,
            "totals": self._report_totals(result),
        }

    @api.model
    def _report_totals(self, rows):
        """One total row per currency: the sum of each column of its rows."""
        totals = {}
        for row in rows:
            total = totals.setdefault(
                row["currency"],
                {
                    "name": self.env._("Total"),
                    "currency": row["currency"],
                    "total": 0.0,
                    "due_today": 0.0,
                    "due_this_week": 0.0,
                    "buckets": [0.0] * len(row["buckets"]),
                    "unapplied_credits": 0.0,
                },
            )
            for name in ("total", "due_today", "due_this_week", "unapplied_credits"):
                total[name] += row[name]
            total["buckets"] = [
                a + b for a, b in zip(total["buckets"], row["buckets"], strict=True)
            ]
        return list(totals.values())

    def _render_xlsx(self):
        """The aging table as XLSX bytes: the columns of the PDF, each wide
        enough for its label, and a total row per currency."""
        data = self._get_report_data()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Aging"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sheet.write(
            0,
            0,
            self.env._(
                "Aging as of %(date)s", date=format_date(self.env, self.as_of_date)
            ),
            bold,
        )
        header = [
            dict(self._fields["group_by"]._description_selection(self.env))[
                self.group_by
            ],
            self.env._("Currency"),
            *self._report_column_labels(data["columns"]),
        ]
        sheet.write_row(2, 0, header, bold)
        sheet.set_column(0, 0, 40)
        for col, label in enumerate(header[1:], start=1):
            sheet.set_column(col, col, max(14, _text_width(label) + 2))
        lines = [(row, False) for row in data["rows"]]
        lines += [(total, True) for total in data["totals"]]
        for row_index, (row, is_total) in enumerate(lines, start=3):
            sheet.write(row_index, 0, row["name"], bold if is_total else None)
            sheet.write(row_index, 1, row["currency"].name)
            sheet.write_row(
                row_index,
                2,
                [
                    row["total"],
                    row["due_today"],
                    row["due_this_week"],
                    *row["buckets"],
                    row["unapplied_credits"],
                ],
                money_bold if is_total else money,
            )
            if not is_total:
                sheet.write(row_index, len(header) - 1, row["max_days_overdue"])
        workbook.close()
        return output.getvalue()

    def _report_column_labels(self, bucket_names):
        """Labels of the amount columns of the PDF and XLSX, after the group."""
        return [
            self.env._("Total"),
            self.env._("Due today"),
            self.env._("Due this week"),
            *bucket_names,
            self.env._("Unapplied credits"),
            self.env._("Max days overdue"),
        ]

    @api.model
    def _get_open_items(self, as_of_date=None, partner_ids=None, company_ids=None):
        """Open receivable items as of the date: dicts with line_id, move_id,
        partner_id, days, residual and bucket_id, oldest first."""
        as_of_date, companies = self._check_aging_params(
            as_of_date, company_ids, partner_ids
        )
        company_buckets = self.env["aging.bucket"]._get_company_buckets(companies)
        lines = self._aging_lines_sql(
            as_of_date, companies, partner_ids, company_buckets, with_salesperson=False
        )
        self.env.cr.execute(
            SQL(
                "SELECT l.line_id, l.move_id, l.partner_id, l.days, l.residual, "
                "l.bucket_id FROM (%s) l ORDER BY l.days DESC, l.line_id",
                lines,
            )
        )
        return self.env.cr.dictfetchall()
