# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from markupsafe import Markup, escape
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MAX_ATTACHMENTS = 5
# Below the 10 MB Odoo lets a form part take, so that the customer gets
# our inline message rather than a "413 Request Entity Too Large" page.
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
ALLOWED_MIMETYPES = ("image/", "application/pdf")
PAGE_SIZE = 20


class CssCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "css_case_count" in counters:
            Case = request.env["css.case"]
            values["css_case_count"] = (
                Case.search_count([]) if Case.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------
    # Cases
    # ------------------------------------------------------------------

    def _css_case_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "name": {"label": request.env._("Reference"), "order": "name"},
            "stage": {"label": request.env._("Status"), "order": "stage_id, id desc"},
        }

    def _css_case_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_open", "=", True)],
            },
            "done": {
                "label": request.env._("Resolved"),
                "domain": [("is_open", "=", False)],
            },
        }

    @http.route(
        ["/my/service", "/my/service/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service(self, page=1, sortby="date", filterby="all", **kw):
        Case = request.env["css.case"]
        sortings = self._css_case_sortings()
        filters = self._css_case_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        count = Case.search_count(domain)
        pager = portal_pager(
            url="/my/service",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=PAGE_SIZE,
        )
        cases = Case.search(
            domain,
            order=sortings[sortby]["order"],
            limit=PAGE_SIZE,
            offset=pager["offset"],
        )
        request.session["my_css_cases_history"] = cases.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases,
                "page_name": "css_case",
                "pager": pager,
                "default_url": "/my/service",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("crm_haier_css.portal_my_service", values)

    def _css_case_page(self, case_sudo, access_token=None, **extra):
        values = self._get_page_view_values(
            case_sudo,
            access_token,
            {
                "case": case_sudo,
                "page_name": "css_case",
                "slots": case_sudo._fields["appointment_slot"].selection,
                "rating_pending": self._css_pending_rating(case_sudo),
                **extra,
            },
            "my_css_cases_history",
            False,
        )
        return request.render("crm_haier_css.portal_css_case_page", values)

    def _css_pending_rating(self, case_sudo):
        if case_sudo.state not in ("resolved", "closed"):
            return False
        return not any(rating.consumed for rating in case_sudo.rating_ids)

    def _css_check_case(self, case_id, access_token=None):
        """Return the case (sudo) after checking access as the current user.

        Raises 404 for a case that does not exist and 403 for somebody
        else's case.
        """
        try:
            return self._document_check_access("css.case", case_id, access_token)
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc

    @http.route("/my/service/<int:case_id>", type="http", auth="public", website=True)
    def portal_css_case(self, case_id, access_token=None, **kw):
        case_sudo = self._css_check_case(case_id, access_token)
        return self._css_case_page(case_sudo, access_token)

    @http.route(
        "/my/service/<int:case_id>/appointment",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_case_appointment(
        self, case_id, appointment_date=None, slot=None, **kw
    ):
        case_sudo = self._css_check_case(case_id)
        error = None
        date = fields.Date.to_date(appointment_date) if appointment_date else None
        slots = dict(case_sudo._fields["appointment_slot"].selection)
        if not case_sudo.is_open:
            error = request.env._("This case is closed: no visit can be booked.")
        elif not date or date < fields.Date.context_today(case_sudo):
            error = request.env._("Pick a day from today on.")
        elif slot not in slots:
            error = request.env._("Pick a time window.")
        if error:
            return self._css_case_page(case_sudo, appointment_error=error)
        # Access was checked above as the portal user; only these two fields
        # are written.
        case_sudo.write({"appointment_date": date, "appointment_slot": slot})
        case_sudo.message_post(
            body=request.env._(
                "Preferred visit: %(date)s, %(slot)s.",
                date=fields.Date.to_string(date),
                slot=slots[slot],
            ),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(case_sudo.get_portal_url())

    @http.route(
        "/my/service/<int:case_id>/rate",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_case_rate(self, case_id, rating=None, feedback=None, **kw):
        case_sudo = self._css_check_case(case_id)
        try:
            rate = int(rating or 0)
        except ValueError:
            rate = 0
        if not self._css_pending_rating(case_sudo):
            return self._css_case_page(
                case_sudo,
                rating_error=request.env._("This case cannot be rated (again)."),
            )
        if not 1 <= rate <= 5:
            return self._css_case_page(
                case_sudo, rating_error=request.env._("Choose from 1 to 5 stars.")
            )
        partner = request.env.user.partner_id
        token = case_sudo._rating_get_access_token(partner)
        case_sudo.rating_apply(rate, token=token, feedback=feedback or "")
        return request.redirect(case_sudo.get_portal_url())

    def _css_new_case_values(self, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "css_case_new",
                "assets": request.env["css.asset"].search([]),
                "case_types": [
                    item
                    for item in request.env["css.case"]._fields["case_type"].selection
                    if item[0] != "complaint"
                ],
                "error": {},
                "form": {},
            }
        )
        values.update(extra)
        return values

    @http.route("/my/service/new", type="http", auth="user", website=True)
    def portal_css_case_new(self, **kw):
        if request.httprequest.method == "POST":
            return self._css_case_create(**kw)
        return request.render(
            "crm_haier_css.portal_css_case_new", self._css_new_case_values()
        )

    def _css_case_create(self, **post):
        error = {}
        description = (post.get("description") or "").strip()
        subject = (post.get("subject") or "").strip()
        case_type = post.get("case_type") or "repair"
        valid_types = dict(self._css_new_case_values()["case_types"])
        asset = request.env["css.asset"]
        if post.get("asset_id"):
            try:
                # Searched as the portal user: another customer's product is
                # simply not found.
                asset = asset.search([("id", "=", int(post["asset_id"]))])
            except ValueError:
                asset = asset.browse()
            if not asset:
                error["asset_id"] = request.env._(
                    "Choose one of your registered products."
                )
        if not description:
            error["description"] = request.env._("Describe the problem.")
        if case_type not in valid_types:
            error["case_type"] = request.env._("Choose the type of request.")
        files = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        error.update(self._css_check_files(files))
        if error:
            return request.render(
                "crm_haier_css.portal_css_case_new",
                self._css_new_case_values(error=error, form=post),
            )
        partner = request.env.user.partner_id
        case = request.env["css.case"].create(
            {
                "partner_id": partner.id,
                "channel": "portal",
                "case_type": case_type,
                "asset_id": asset.id,
                "subject": subject or (asset.display_name if asset else False),
                "description": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(description).split("\n")),
                "company_id": (asset.company_id or partner.company_id).id
                or request.env.company.id,
            }
        )
        if files:
            self._css_attach(case, files)
        return request.redirect(case.get_portal_url())

    def _css_check_files(self, files):
        if len(files) > MAX_ATTACHMENTS:
            return {
                "attachments": request.env._(
                    "Attach at most %(count)s files.", count=MAX_ATTACHMENTS
                )
            }
        for upload in files:
            if not upload.mimetype.startswith(ALLOWED_MIMETYPES):
                return {
                    "attachments": request.env._(
                        "%(name)s: attach photos or PDF files only.",
                        name=upload.filename,
                    )
                }
            if self._css_file_size(upload) > MAX_ATTACHMENT_SIZE:
                return {
                    "attachments": request.env._(
                        "%(name)s is larger than %(size)s MB.",
                        name=upload.filename,
                        size=MAX_ATTACHMENT_SIZE // (1024 * 1024),
                    )
                }
        return {}

    @staticmethod
    def _css_file_size(upload):
        stream = upload.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        return size

    def _css_attach(self, case, files):
        # The case was just created by the portal user through the ORM; the
        # attachments are linked to it as superuser because customers have
        # no write access on cases.
        # Sizes and types were checked before the case was created.
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": upload.filename,
                        "datas": base64.b64encode(upload.read()),
                        "res_model": "css.case",
                        "res_id": case.id,
                        "mimetype": upload.mimetype,
                    }
                    for upload in files
                ]
            )
        )
        if attachments:
            case.sudo().message_post(
                body=request.env._("Photos and documents from the customer."),
                author_id=request.env.user.partner_id.id,
                attachment_ids=attachments.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Registered products
    # ------------------------------------------------------------------

    def _css_products_values(self, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "css_asset",
                "assets": request.env["css.asset"].search([]),
                "products": request.env["product.product"].search(
                    [("css_portal_registrable", "=", True)], limit=200
                ),
                "error": {},
                "form": {},
            }
        )
        values.update(extra)
        return values

    @http.route("/my/service/products", type="http", auth="user", website=True)
    def portal_css_products(self, **post):
        if request.httprequest.method != "POST":
            return request.render(
                "crm_haier_css.portal_css_products", self._css_products_values()
            )
        error = {}
        serial = (post.get("serial") or "").strip()
        product = request.env["product.product"]
        if (post.get("product_id") or "").isdigit():
            product = product.search(
                [
                    ("id", "=", int(post["product_id"])),
                    ("css_portal_registrable", "=", True),
                ]
            )
        if not product:
            error["product_id"] = request.env._("Choose the product.")
        if not serial:
            error["serial"] = request.env._("Enter the serial number.")
        purchase_date = None
        if post.get("purchase_date"):
            try:
                purchase_date = fields.Date.to_date(post["purchase_date"])
            except ValueError:
                error["purchase_date"] = request.env._("Enter a valid date.")
            if purchase_date and purchase_date > fields.Date.context_today(product):
                error["purchase_date"] = request.env._(
                    "The purchase date cannot be in the future."
                )
        if not error:
            partner = request.env.user.partner_id
            try:
                with request.env.cr.savepoint():
                    request.env["css.asset"].create(
                        {
                            "partner_id": partner.id,
                            "product_id": product.id,
                            "serial": serial,
                            "purchase_date": purchase_date,
                            "company_id": partner.company_id.id
                            or request.env.company.id,
                        }
                    )
            except ValidationError as exc:
                error["serial"] = exc.args[0]
        if error:
            return request.render(
                "crm_haier_css.portal_css_products",
                self._css_products_values(error=error, form=post),
            )
        return request.redirect("/my/service/products")

    # ------------------------------------------------------------------
    # Knowledge base
    # ------------------------------------------------------------------

    @http.route("/my/service/solutions", type="http", auth="user", website=True)
    def portal_css_solutions(self, search=None, **kw):
        domain = [("is_published", "=", True)]
        if search:
            domain += ["|", ("name", "ilike", search), ("symptom", "ilike", search)]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "css_solution",
                "solutions": request.env["css.solution"].search(domain, limit=100),
                "search": search or "",
            }
        )
        return request.render("crm_haier_css.portal_css_solutions", values)

    @http.route(
        "/my/service/solutions/<int:solution_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_css_solution(self, solution_id, **kw):
        solution = request.env["css.solution"].search(
            [("id", "=", solution_id), ("is_published", "=", True)]
        )
        if not solution:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "css_solution", "solution": solution})
        return request.render("crm_haier_css.portal_css_solution_page", values)
