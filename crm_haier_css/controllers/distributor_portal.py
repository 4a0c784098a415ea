# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools.portal_input import form_errors
from .portal import PAGE_SIZE, CssCustomerPortal

MAX_PARTS = 10


class CssDistributorPortal(CssCustomerPortal):
    """/my/distributor: the cases and visits routed to the distributor's outlets.

    Everything is read as the distributor user, so that the record rules
    decide what is theirs; the pages render the checked records as
    superuser, like the customer portal.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "css_distributor_case_count" in counters:
            values["css_distributor_case_count"] = (
                request.env["css.case"].search_count(self._css_distributor_domain())
                if self._css_is_distributor()
                else 0
            )
        return values

    @staticmethod
    def _css_is_distributor():
        return request.env.user.has_group("crm_haier_css.group_css_distributor")

    @staticmethod
    def _css_distributor_domain():
        distributor = request.env.user.commercial_partner_id
        return [("service_center_id.distributor_id", "=", distributor.id)]

    def _css_distributor_filters(self):
        return {
            "todo": {
                "label": request.env._("To Accept"),
                "domain": [
                    ("distributor_acceptance", "=", "pending"),
                    ("is_open", "=", True),
                ],
            },
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_open", "=", True)],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }

    def _css_check_distributor_case(self, case_id):
        """Return the case (sudo) routed to the user's outlets; 403/404 otherwise."""
        if not self._css_is_distributor():
            raise Forbidden()
        case = request.env["css.case"].browse(case_id).exists()
        if not case:
            raise NotFound()
        if not case.search_count(
            [("id", "=", case.id), *self._css_distributor_domain()]
        ):
            raise Forbidden()
        return case.sudo()

    @http.route(
        ["/my/distributor", "/my/distributor/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_css_distributor(self, page=1, filterby="todo", **kw):
        if not self._css_is_distributor():
            raise Forbidden()
        filters = self._css_distributor_filters()
        filterby = filterby if filterby in filters else "todo"
        domain = self._css_distributor_domain() + filters[filterby]["domain"]
        Case = request.env["css.case"]
        count = Case.search_count(domain)
        pager = portal_pager(
            url="/my/distributor",
            url_args={"filterby": filterby},
            total=count,
            page=page,
            step=PAGE_SIZE,
        )
        cases = Case.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases.sudo(),
                "page_name": "css_distributor",
                "pager": pager,
                "default_url": "/my/distributor",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("crm_haier_css.portal_css_distributor", values)

    def _css_distributor_case_page(self, case_sudo, **extra):
        visit = case_sudo._portal_visit()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "case": case_sudo,
                "visit": visit,
                "page_name": "css_distributor_case",
                "free_slots": self._css_free_slots(case_sudo)
                if case_sudo.distributor_acceptance == "accepted"
                else [],
                "max_parts": MAX_PARTS,
                "error": {},
                "form": {},
                **extra,
            }
        )
        return request.render("crm_haier_css.portal_css_distributor_case", values)

    @http.route(
        "/my/distributor/case/<int:case_id>", type="http", auth="user", website=True
    )
    def portal_css_distributor_case(self, case_id, **kw):
        return self._css_distributor_case_page(
            self._css_check_distributor_case(case_id)
        )

    def _css_distributor_action(self, case_sudo, action, form=None):
        """Run the distributor's action as the user; a refusal shows on the page."""
        try:
            with request.env.cr.savepoint():
                action(case_sudo.sudo(False))
        except (UserError, AccessError) as error:
            return self._css_distributor_case_page(
                case_sudo, error=form_errors(error), form=form or {}
            )
        return request.redirect(f"/my/distributor/case/{case_sudo.id}")

    @http.route(
        "/my/distributor/case/<int:case_id>/accept",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_distributor_accept(self, case_id, **kw):
        case_sudo = self._css_check_distributor_case(case_id)
        return self._css_distributor_action(
            case_sudo, lambda case: case.action_distributor_accept()
        )

    @http.route(
        "/my/distributor/case/<int:case_id>/decline",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_distributor_decline(self, case_id, reason=None, **kw):
        case_sudo = self._css_check_distributor_case(case_id)
        try:
            with request.env.cr.savepoint():
                case_sudo.sudo(False).action_distributor_decline(reason)
        except (UserError, AccessError) as error:
            return self._css_distributor_case_page(
                case_sudo, error=form_errors(error), form={"reason": reason}
            )
        # The case has left the distributor's outlets.
        return request.redirect("/my/distributor")

    @http.route(
        "/my/distributor/case/<int:case_id>/book",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_distributor_book(self, case_id, slot_start=None, **kw):
        case_sudo = self._css_check_distributor_case(case_id)
        return self._css_distributor_action(
            case_sudo, lambda case: case._distributor_book_slot(slot_start)
        )

    @http.route(
        "/my/distributor/case/<int:case_id>/complete",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_css_distributor_complete(self, case_id, **post):
        case_sudo = self._css_check_distributor_case(case_id)
        form = request.httprequest.form
        parts = list(
            zip(form.getlist("part_ref"), form.getlist("part_qty"), strict=False)
        )[:MAX_PARTS]
        uploads = [
            {
                "name": upload.filename,
                "mimetype": upload.mimetype,
                "size": self._css_file_size(upload),
                "data": upload.read,
            }
            for upload in request.httprequest.files.getlist("photos")
            if upload.filename
        ]
        return self._css_distributor_action(
            case_sudo,
            lambda case: case._distributor_complete(
                post.get("report"), post.get("hours"), parts, uploads
            ),
            form=post,
        )

    @http.route(
        "/my/distributor/case/<int:case_id>/visit/<int:visit_id>/sign",
        type="json",
        auth="user",
        website=True,
    )
    def portal_css_distributor_sign(self, case_id, visit_id, name=None, signature=None):
        """The customer signs the work report on the technician's screen."""
        case_sudo = self._css_check_distributor_case(case_id)
        visit = case_sudo.service_order_ids.filtered(lambda v: v.id == visit_id)
        if not visit:
            return {"error": request.env._("This visit is not part of the case.")}
        try:
            with request.env.cr.savepoint():
                visit.sudo(False)._portal_sign(name, signature)
        except (UserError, AccessError) as error:
            return {"error": form_errors(error).get("signature") or error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": f"/my/distributor/case/{case_sudo.id}",
        }

    @http.route(
        ["/my/distributor/products", "/my/distributor/products/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_css_distributor_products(self, page=1, **kw):
        """The installed base the distributor sold."""
        if not self._css_is_distributor():
            raise Forbidden()
        Asset = request.env["css.asset"]
        domain = [("distributor_id", "=", request.env.user.commercial_partner_id.id)]
        pager = portal_pager(
            url="/my/distributor/products",
            total=Asset.search_count(domain),
            page=page,
            step=PAGE_SIZE,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "assets": Asset.search(
                    domain, limit=PAGE_SIZE, offset=pager["offset"]
                ).sudo(),
                "pager": pager,
                "page_name": "css_distributor_products",
            }
        )
        return request.render("crm_haier_css.portal_css_distributor_products", values)

    # ------------------------------------------------------------------
    # File exchange
    # ------------------------------------------------------------------

    def _css_exchange_page(self, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "css_distributor_exchange",
                "kinds": request.env["css.exchange.import"]._fields["kind"].selection,
                "result": None,
                "error": {},
                **extra,
            }
        )
        return request.render("crm_haier_css.portal_css_distributor_exchange", values)

    def _css_new_exchange(self, kind, upload=None):
        """A wizard for the user's own distributor, as superuser (rights checked
        by the wizard against the user)."""
        values = {
            "distributor_id": request.env.user.commercial_partner_id.id,
            "kind": kind if kind in ("case", "asset") else "case",
        }
        if upload:
            values.update(
                file=base64.b64encode(upload.read()), file_name=upload.filename
            )
        return request.env["css.exchange.import"].sudo().create(values)

    @http.route(
        "/my/distributor/exchange",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_css_distributor_exchange(self, kind="case", **kw):
        if not self._css_is_distributor():
            raise Forbidden()
        if request.httprequest.method != "POST":
            return self._css_exchange_page()
        upload = request.httprequest.files.get("file")
        if not upload or not upload.filename:
            return self._css_exchange_page(
                error={"file": request.env._("Choose the CSV file to import.")}
            )
        wizard = self._css_new_exchange(kind, upload)
        try:
            with request.env.cr.savepoint():
                wizard.action_import()
        except (UserError, AccessError) as error:
            return self._css_exchange_page(error=form_errors(error))
        return self._css_exchange_page(result=wizard)

    @http.route(
        "/my/distributor/exchange/<int:wizard_id>/errors",
        type="http",
        auth="user",
        website=True,
    )
    def portal_css_distributor_exchange_errors(self, wizard_id, **kw):
        """The error report of one of the user's own imports."""
        wizard = request.env["css.exchange.import"].sudo().browse(wizard_id).exists()
        if not wizard or wizard.create_uid != request.env.user:
            raise NotFound()
        report = wizard.error_report_id
        if not report:
            raise NotFound()
        return request.make_response(
            report.raw,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", content_disposition(report.name)),
            ],
        )

    @http.route(
        "/my/distributor/exchange/export",
        type="http",
        auth="user",
        website=True,
    )
    def portal_css_distributor_export(self, kind="case", **kw):
        """Download the distributor's cases or installed base as CSV."""
        if not self._css_is_distributor():
            raise Forbidden()
        wizard = self._css_new_exchange(kind)
        wizard.action_export()
        export = wizard.export_file_id
        return request.make_response(
            export.raw,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", content_disposition(export.name)),
            ],
        )
