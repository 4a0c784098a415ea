# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import format_datetime

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools.portal_input import form_errors

PAGE_SIZE = 20
# Free windows listed on a case page: the first ones of the booking horizon.
MAX_SLOTS = 24


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

    def _css_free_slots(self, case):
        """The free windows offered on the case page, labelled in the outlet's time."""
        visit = case._portal_visit()
        outlet = visit.service_center_id or case.sudo().service_center_id
        tz = outlet.resource_calendar_id.tz or request.env.user.tz
        return [
            {
                "value": slot["start"].strftime("%Y-%m-%d %H:%M:%S"),
                "label": "{} - {}".format(
                    format_datetime(
                        request.env, slot["start"], tz=tz, dt_format="EEE d MMM, HH:mm"
                    ),
                    format_datetime(request.env, slot["end"], tz=tz, dt_format="HH:mm"),
                ),
                "current": visit.appointment_start == slot["start"],
            }
            for slot in case._portal_slots()[:MAX_SLOTS]
        ]

    def _css_case_page(self, case_sudo, access_token=None, **extra):
        visit = case_sudo._portal_visit()
        values = self._get_page_view_values(
            case_sudo,
            access_token,
            {
                "case": case_sudo,
                "page_name": "css_case",
                "slots": case_sudo._fields["appointment_slot"].selection,
                "rating_pending": case_sudo._portal_rating_pending(),
                "visit": visit,
                "free_slots": self._css_free_slots(case_sudo),
                "error": {},
                **extra,
            },
            "my_css_cases_history",
            False,
        )
        return request.render("crm_haier_css.portal_css_case_page", values)

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

    def _css_case_action(self, case_sudo, action):
        """Run a customer's action on their case; a refusal shows on the page."""
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, AccessError) as error:
            return self._css_case_page(case_sudo, error=form_errors(error))
        return request.redirect(case_sudo.get_portal_url())

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
        case = case_sudo.sudo(False)
        return self._css_case_action(
            case_sudo, lambda: case._portal_request_visit(appointment_date, slot)
        )

    @http.route(
        "/my/service/<int:case_id>/book",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_case_book(self, case_id, slot_start=None, **kw):
        case_sudo = self._css_check_case(case_id)
        case = case_sudo.sudo(False)
        return self._css_case_action(
            case_sudo, lambda: case._portal_book_slot(slot_start)
        )

    @http.route(
        "/my/service/<int:case_id>/visit/<int:visit_id>/sign",
        type="json",
        auth="user",
        website=True,
    )
    def portal_css_visit_sign(self, case_id, visit_id, name=None, signature=None):
        """Sign the work report of a done visit, like a quote's acceptance."""
        case_sudo = self._css_check_case(case_id)
        visit = case_sudo.service_order_ids.filtered(lambda v: v.id == visit_id)
        if not visit:
            return {"error": request.env._("This visit is not part of your request.")}
        try:
            with request.env.cr.savepoint():
                visit.sudo(False)._portal_sign(name, signature)
        except (UserError, AccessError) as error:
            return {"error": form_errors(error).get("signature") or error.args[0]}
        return {"force_refresh": True, "redirect_url": case_sudo.get_portal_url()}

    @http.route(
        "/my/service/<int:case_id>/rate",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_case_rate(self, case_id, rating=None, feedback=None, **kw):
        case_sudo = self._css_check_case(case_id)
        case = case_sudo.sudo(False)
        return self._css_case_action(
            case_sudo, lambda: case._portal_rate(rating, feedback)
        )

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
        uploads = [
            {
                "name": upload.filename,
                "mimetype": upload.mimetype,
                "size": self._css_file_size(upload),
                "data": upload.read,
            }
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        try:
            with request.env.cr.savepoint():
                case = request.env["css.case"]._portal_create_request(post, uploads)
        except (UserError, AccessError) as error:
            return request.render(
                "crm_haier_css.portal_css_case_new",
                self._css_new_case_values(error=form_errors(error), form=post),
            )
        return request.redirect(case.get_portal_url())

    @staticmethod
    def _css_file_size(upload):
        stream = upload.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        return size

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
        try:
            with request.env.cr.savepoint():
                request.env["css.asset"]._portal_register(post)
        except (UserError, AccessError) as error:
            return request.render(
                "crm_haier_css.portal_css_products",
                self._css_products_values(error=form_errors(error), form=post),
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
