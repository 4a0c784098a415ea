# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import csv
import io
from collections import defaultdict

import psycopg2
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from ..models.css_case_selections import CASE_TYPES
from ..tools.csv_exchange import (
    ExchangeFileError,
    batches,
    check_header,
    detect_encoding,
    open_rows,
)
from ..tools.phone import normalize_phone
from ..tools.sequence import next_names

COLUMNS = {
    "case": (
        "external_ref",
        "customer",
        "phone",
        "product",
        "serial",
        "case_type",
        "description",
    ),
    "asset": (
        "external_ref",
        "customer",
        "phone",
        "product",
        "serial",
        "purchase_date",
    ),
}
BATCH_SIZE = 500
# What a row's writes may meet; anything else (a concurrency failure to
# retry, a programming error) stops the import.
ROW_ERRORS = (UserError, ValidationError, AccessError, psycopg2.IntegrityError)
EXPORT_CHUNK = 2000


class RowError(Exception):
    """A row is refused: its reason goes to the error report."""


class CssExchangeImport(models.TransientModel):
    """Import (and export) the cases or installed base of a distributor as CSV.

    The file is checked as a whole first (encoding, header), then read row by
    row and written in batches: the customers, products, serials and known
    references of a batch are read at once, the valid rows of a batch are
    created in one call. A batch that fails as a whole is written again row
    by row, each in its own savepoint, so that a bad row changes nothing and
    the good ones go in. A row whose reference is already known updates the
    record it names: sending a file again creates nothing twice.
    """

    _name = "css.exchange.import"
    _description = "Distributor File Exchange"

    distributor_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_distributor', '=', True)]",
    )
    kind = fields.Selection(
        [("case", "Cases"), ("asset", "Installed Base")],
        required=True,
        default="case",
    )
    file = fields.Binary(string="CSV File", attachment=False)
    file_name = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    imported_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    error_count = fields.Integer(string="Refused Rows", readonly=True)
    error_report_id = fields.Many2one("ir.attachment", readonly=True)
    export_file_id = fields.Many2one("ir.attachment", readonly=True)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    def _check_distributor_access(self):
        """Agents exchange files for any distributor, distributor users for theirs."""
        self.ensure_one()
        user = self.env.user
        if user._is_superuser() or user.has_group("crm_haier_css.group_css_agent"):
            return
        if (
            user.has_group("crm_haier_css.group_css_distributor")
            and self.distributor_id == user.commercial_partner_id
        ):
            return
        raise AccessError(
            self.env._("You may exchange files for your own distributor only.")
        )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def action_import(self):
        """Import the file; afterwards the counts and the error report show."""
        self.ensure_one()
        self._check_distributor_access()
        if not self.distributor_id.is_distributor:
            raise UserError(
                self.env._(
                    "%(partner)s is not a distributor.",
                    partner=self.distributor_id.name,
                )
            )
        raw = base64.b64decode(self.file or b"")
        columns = COLUMNS[self.kind]
        try:
            encoding = detect_encoding(raw)
            rows = open_rows(raw, encoding)
            index = check_header(next(rows, None), columns)
        except ExchangeFileError as error:
            raise UserError(self._file_error_message(error, columns)) from error
        importer = _Importer(self.sudo(), index)
        for batch in batches(rows, BATCH_SIZE):
            importer.run(batch)
        self.write(
            {
                "state": "done",
                "imported_count": importer.created,
                "updated_count": importer.updated,
                "error_count": len(importer.errors),
                "error_report_id": self._error_report(importer.errors).id,
            }
        )
        return self._reopen()

    def _file_error_message(self, error, columns):
        reason = error.args[0]
        if reason == "empty":
            return self.env._("The file is empty.")
        if reason == "encoding":
            return self.env._(
                "The file is not a CSV text in UTF-8 or GB18030: export it again "
                "as CSV in one of these encodings. Nothing was imported."
            )
        _reason, missing, unknown = error.args
        return self.env._(
            "The header row does not have the expected columns (%(columns)s). "
            "Missing: %(missing)s. Unknown: %(unknown)s. Nothing was imported.",
            columns=", ".join(columns),
            missing=", ".join(missing) or "-",
            unknown=", ".join(unknown) or "-",
        )

    def _error_report(self, errors):
        if not errors:
            return self.env["ir.attachment"]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["line", "external_ref", "reason"])
        writer.writerows(errors)
        return self._attach(
            f"{self._file_stem()}-errors.csv", buffer.getvalue().encode("utf-8-sig")
        )

    def _file_stem(self):
        name = self.file_name or f"{self.kind}s"
        return name.rsplit(".", 1)[0]

    def _attach(self, name, data):
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": data,
                    "mimetype": "text/csv",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_download_errors(self):
        """Download the error report: line number, reference and reason per row."""
        self.ensure_one()
        return self._download(self.error_report_id)

    @staticmethod
    def _download(attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    def action_export(self):
        """Export the distributor's cases or installed base in the import's columns."""
        self.ensure_one()
        self._check_distributor_access()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS[self.kind])
        model = self.env["css.case" if self.kind == "case" else "css.asset"].sudo()
        row_of = self._case_row if self.kind == "case" else self._asset_row
        domain = [("distributor_id", "=", self.distributor_id.id)]
        last_id = 0
        while records := model.search(
            [*domain, ("id", ">", last_id)], order="id", limit=EXPORT_CHUNK
        ):
            writer.writerows(row_of(record) for record in records)
            last_id = records[-1].id
            records.invalidate_recordset()
        self.export_file_id = self._attach(
            f"{self.distributor_id.name}-{self.kind}s.csv",
            buffer.getvalue().encode("utf-8-sig"),
        )
        return self._download(self.export_file_id)

    @staticmethod
    def _partner_columns(partner):
        return [partner.name or "", partner.phone or partner.mobile or ""]

    def _case_row(self, case):
        return [
            case.external_ref or "",
            *self._partner_columns(case.partner_id),
            case.product_id.default_code or "",
            case.asset_id.serial or "",
            case.case_type,
            html2plaintext(case.description or "").strip(),
        ]

    def _asset_row(self, asset):
        return [
            asset.external_ref or "",
            *self._partner_columns(asset.partner_id),
            asset.product_id.default_code or "",
            asset.serial,
            fields.Date.to_string(asset.purchase_date) or "",
        ]


class _Importer:
    """Validates and writes the rows of one file, batch by batch (as superuser)."""

    def __init__(self, wizard, index):
        self.wizard = wizard
        self.env = wizard.env
        self.index = index
        self.kind = wizard.kind
        self.distributor = wizard.distributor_id
        self.company = self.distributor.company_id or self.env.company
        self.country_code = self.env["res.partner"]._css_country_code()
        # No authorised category on the contract: no restriction.
        self.categories = (
            set(self.distributor._css_authorised_categories().ids)
            if self.distributor.product_category_ids
            else None
        )
        self.case_type_of = {label.lower(): code for code, label in CASE_TYPES} | {
            code: code for code, _label in CASE_TYPES
        }
        self.model = self.env[
            "css.case" if self.kind == "case" else "css.asset"
        ].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        Case = self.env["css.case"]
        # Read once rather than per case by the case's defaults.
        self.case_defaults = {
            "channel": "distributor",
            "team_id": Case._route_team({"company_id": self.company.id}).id,
            "stage_id": Case._default_stage().id,
            # One moment for the whole file: the cases share their deadlines.
            "reported_date": fields.Datetime.now(),
        }
        self.seen = {}  # reference: line of its first row
        self.created = self.updated = 0
        self.errors = []

    # -- reading a batch -------------------------------------------------

    def field(self, row, name):
        return (row[self.index[name]] or "").strip()

    def prefetch(self, rows):
        Partner = self.env["res.partner"].with_context(active_test=False)
        phones = {
            normalize_phone(self.field(row, "phone"), self.country_code) for row in rows
        } - {False}
        self.customers = defaultdict(list)
        for partner in Partner.search_fetch(
            [
                "|",
                ("css_phone_normalized", "in", list(phones)),
                ("css_mobile_normalized", "in", list(phones)),
            ],
            [
                "name",
                "css_phone_normalized",
                "css_mobile_normalized",
                "commercial_partner_id",
            ],
            order="id",
        ):
            for number in {partner.css_phone_normalized, partner.css_mobile_normalized}:
                if number in phones:
                    self.customers[number].append(partner)
        codes = {self.field(row, "product") for row in rows} - {""}
        self.products = {}
        for product in self.env["product.product"].search_fetch(
            [("default_code", "in", list(codes))],
            ["default_code", "categ_id"],
            order="id",
        ):
            self.products.setdefault(product.default_code, product)
        serials = {self.field(row, "serial") for row in rows} - {""}
        self.assets = {}
        for asset in (
            self.env["css.asset"]
            .with_context(active_test=False)
            .search_fetch(
                [("serial", "in", list(serials))],
                [
                    "serial",
                    "product_id",
                    "commercial_partner_id",
                    "external_ref",
                    "distributor_id",
                ],
            )
        ):
            self.assets[(asset.product_id.id, asset.serial)] = asset
        refs = [(self.distributor.id, self.field(row, "external_ref")) for row in rows]
        self.known = self.model._css_find_external([key for key in refs if key[1]])

    # -- validating a row -------------------------------------------------

    def check_row(self, line, row):
        if len(row) != len(self.index):
            raise RowError(
                self.env._(
                    "%(count)s columns instead of %(expected)s.",
                    count=len(row),
                    expected=len(self.index),
                )
            )
        ref = self.field(row, "external_ref")
        if not ref:
            raise RowError(self.env._("The external reference is empty."))
        if ref in self.seen:
            raise RowError(
                self.env._(
                    "The external reference %(ref)s is already on line %(line)s "
                    "of this file.",
                    ref=ref,
                    line=self.seen[ref],
                )
            )
        self.seen[ref] = line
        code = self.field(row, "product")
        product = self.products.get(code)
        if not product:
            raise RowError(
                self.env._("Unknown product reference %(code)s.", code=code or "-")
            )
        if self.categories is not None and product.categ_id.id not in self.categories:
            raise RowError(
                self.env._(
                    "Product %(code)s (%(category)s) is outside the categories "
                    "the distributor is authorised for.",
                    code=code,
                    category=product.categ_id.display_name,
                )
            )
        name = self.field(row, "customer")
        phone = normalize_phone(self.field(row, "phone"), self.country_code)
        if not phone:
            raise RowError(self.env._("The customer's phone number is missing."))
        matches = self.customers.get(phone, [])
        customer = next(
            (p for p in matches if p.name.strip().lower() == name.lower()), None
        ) or (matches[0] if matches else None)
        if not customer and not name:
            raise RowError(
                self.env._(
                    "Unknown customer: no customer has the phone number %(phone)s "
                    "and the row gives no name to create one.",
                    phone=self.field(row, "phone"),
                )
            )
        values = {
            "customer": customer,
            "new_customer": None if customer else (name, self.field(row, "phone")),
            "external_ref": ref,
            "product": product,
        }
        check = self.check_case if self.kind == "case" else self.check_asset
        values.update(check(row, values))
        return values

    def check_case(self, row, values):
        case_type = self.case_type_of.get(self.field(row, "case_type").lower())
        if not case_type:
            raise RowError(
                self.env._(
                    "Unknown case type %(type)s: use one of %(types)s.",
                    type=self.field(row, "case_type") or "-",
                    types=", ".join(code for code, _label in CASE_TYPES),
                )
            )
        serial = self.field(row, "serial")
        asset = None
        if serial:
            asset = self.assets.get((values["product"].id, serial))
            if not asset:
                raise RowError(
                    self.env._(
                        "Unknown serial number %(serial)s for product %(code)s.",
                        serial=serial,
                        code=values["product"].default_code,
                    )
                )
            customer = values["customer"]
            if (
                not customer
                or asset.commercial_partner_id != customer.commercial_partner_id
            ):
                raise RowError(
                    self.env._(
                        "Serial number %(serial)s is registered to another customer.",
                        serial=serial,
                    )
                )
        description = self.field(row, "description")
        return {
            "vals": {
                "case_type": case_type,
                "asset_id": asset.id if asset else False,
                "product_id": values["product"].id,
                "subject": description.split("\n", 1)[0][:80] or values["external_ref"],
                "description": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(description).split("\n")),
            }
        }

    def check_asset(self, row, values):
        serial = self.field(row, "serial")
        if not serial:
            raise RowError(self.env._("The serial number is empty."))
        text = self.field(row, "purchase_date")
        purchase_date = False
        if text:
            try:
                purchase_date = fields.Date.to_date(text.replace("/", "-"))
            except ValueError:
                purchase_date = None
            if not purchase_date or purchase_date > fields.Date.context_today(
                self.wizard
            ):
                raise RowError(
                    self.env._(
                        "Bad purchase date %(date)s: write it as YYYY-MM-DD, not "
                        "in the future.",
                        date=text,
                    )
                )
        asset = self.assets.get((values["product"].id, serial))
        key = (self.distributor.id, values["external_ref"])
        if asset and self.known.get(key) != asset.id:
            raise RowError(
                self.env._(
                    "Serial number %(serial)s is already registered for %(code)s "
                    "under another reference.",
                    serial=serial,
                    code=values["product"].default_code,
                )
            )
        return {
            "vals": {
                "product_id": values["product"].id,
                "serial": serial,
                "purchase_date": purchase_date,
            }
        }

    # -- writing ---------------------------------------------------------

    def run(self, batch):
        """Validate and write one batch; a failing write is retried row by row."""
        self.prefetch([row for _line, row in batch])
        good = []
        for line, row in batch:
            try:
                good.append((line, self.check_row(line, row)))
            except RowError as error:
                self.report(line, row, error.args[0])
        if not good:
            return
        try:
            with self.env.cr.savepoint():
                created, updated = self.save(good)
        except ROW_ERRORS:
            # One row fails the batch: each row again in a savepoint of its
            # own, so that only the bad one is left out.
            self.env.invalidate_all()
            created, updated = self.run_rows(good)
        self.created += created
        self.updated += updated
        self.env.invalidate_all()

    def run_rows(self, good):
        created = updated = 0
        for line, values in good:
            try:
                with self.env.cr.savepoint():
                    row_created, row_updated = self.save([(line, values)])
            except ROW_ERRORS as error:
                self.env.invalidate_all()
                self.errors.append((line, values["external_ref"], str(error.args[0])))
                continue
            created += row_created
            updated += row_updated
        return created, updated

    def report(self, line, row, reason):
        ref = (
            row[self.index["external_ref"]]
            if len(row) > self.index["external_ref"]
            else ""
        )
        self.errors.append((line, ref, reason))

    def save(self, good):
        """Create the customers, then create or update the records.

        :return: (created, updated) counts
        """
        new_customers = {
            values["new_customer"] for _line, values in good if values["new_customer"]
        }
        created_customers = {}
        if new_customers:
            keys = sorted(new_customers)
            partners = self.env["res.partner"].create(
                [
                    {"name": name, "phone": phone, "company_id": False}
                    for name, phone in keys
                ]
            )
            created_customers = dict(zip(keys, partners, strict=True))
        creates, updated = [], 0
        known_ids = tuple(self.known.values())
        for _line, values in good:
            customer = values["customer"] or created_customers[values["new_customer"]]
            vals = {**values["vals"], "partner_id": customer.id}
            known_id = self.known.get((self.distributor.id, values["external_ref"]))
            if known_id:
                # Prefetched together: one read for the known records of the batch.
                record = self.model.browse(known_id).with_prefetch(known_ids)
                self.update(record, vals)
                updated += 1
            else:
                creates.append(
                    {
                        **vals,
                        "external_ref": values["external_ref"],
                        "distributor_id": self.distributor.id,
                        "company_id": self.company.id,
                        **self.create_defaults(),
                    }
                )
        if self.kind == "case":
            names = next_names(self.env, "css.case", len(creates), self.company)
            for vals, name in zip(creates, names, strict=True):
                vals["name"] = name
        self.model.create(creates)
        return len(creates), updated

    def create_defaults(self):
        return self.case_defaults if self.kind == "case" else {}

    @staticmethod
    def update(record, vals):
        """Write what changed: a file sent again changes nothing."""
        changed = {}
        for name, value in vals.items():
            current = record[name]
            current = current.id if isinstance(current, models.BaseModel) else current
            if name == "description":
                changed_value = html2plaintext(current or "") != html2plaintext(value)
            else:
                changed_value = (current or False) != (value or False)
            if changed_value:
                changed[name] = value
        if changed:
            record.write(changed)
