# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import content_disposition, request, route

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PRODUCTS_PER_PAGE = 24
QUOTES_PER_PAGE = 20
QUOTE_FILTERS = {
    "all": [],
    "draft": [("b2b_state", "in", ("draft", "rejected"))],
    "pending": [("b2b_state", "=", "pending")],
    "approved": [("b2b_state", "=", "approved")],
    "ordered": [("b2b_state", "=", "ordered")],
}
MEMBER_BOOLEANS = ("role_requester", "role_approver", "role_purchaser", "role_admin")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class B2bPortal(CustomerPortal):
    # Helpers ----------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "b2b_premier_count" in counters or "b2b_approval_count" in counters:
            member = request.env.user._b2b_member()
            values["b2b_premier_count"] = 1 if member else 0
            values["b2b_approval_count"] = len(
                request.env["sale.order"]._b2b_inbox(member)
            )
        return values

    def _member(self):
        """The calling portal member, or 403 for anyone else."""
        member = request.env.user._b2b_member()
        if not member:
            raise Forbidden()
        return member

    def _order(self, member, order_id):
        """A quote the member may see following their role, or 404."""
        order = request.env["sale.order"].search(
            [("id", "=", order_id), *member._visible_order_domain([order_id])],
            limit=1,
        )
        if not order:
            raise NotFound()
        return order

    def _back(self):
        """The portal page the form was posted from, for inline messages."""
        referrer = request.httprequest.referrer or ""
        path = referrer.split(request.httprequest.host, 1)[-1]
        return path if path.startswith("/my/premier") else "/my/premier"

    def _flash(self, message, level="danger"):
        request.session["b2b_flash"] = {"message": message, "level": level}

    def _values(self, member, **values):
        return {
            **self._prepare_portal_layout_values(),
            "member": member,
            "account": member.account_id,
            "flash": request.session.pop("b2b_flash", None),
            **values,
        }

    def _run(self, redirect, action, success=None):
        """Run a business action; its refusal becomes an inline message."""
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, ValidationError, AccessError) as error:
            self._flash(error.args[0])
        else:
            if success:
                self._flash(success, "success")
        return request.redirect(redirect)

    # Catalog ----------------------------------------------------------------

    @route(
        ["/my/premier", "/my/premier/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def premier_catalogue(self, page=1, search="", category=None, **kw):
        member = self._member()
        account = member.account_id
        Template = request.env["product.template"]
        # The catalog is defined by the vendor on the account; portal users may
        # not read products directly, so the account's domain is applied as sudo.
        domain = account.sudo()._catalog_domain()
        categories = account.sudo()._catalog_categories()
        category_id = _int(category)
        if category_id:
            domain += [("categ_id", "child_of", category_id)]
        if search:
            domain += [
                "|",
                ("name", "ilike", search),
                ("default_code", "ilike", search),
            ]
        Template = Template.sudo()
        total = Template.search_count(domain)
        pager = portal_pager(
            url="/my/premier",
            url_args={"search": search, "category": category_id or ""},
            total=total,
            page=page,
            step=PRODUCTS_PER_PAGE,
        )
        products = Template.search(
            domain, limit=PRODUCTS_PER_PAGE, offset=pager["offset"], order="name, id"
        )
        prices = account.pricelist_id.sudo()._get_products_price(products, 1.0)
        values = self._values(
            member,
            page_name="b2b_catalogue",
            products=products,
            prices=prices,
            categories=categories,
            category_id=category_id,
            search=search,
            pager=pager,
            configurations=account.configuration_ids
            if page == 1 and not search
            else [],
            drafts=self._drafts(member),
        )
        return request.render("crm_b2b_portal.portal_premier_catalogue", values)

    def _drafts(self, member):
        if not member.role_requester:
            return request.env["sale.order"]
        return request.env["sale.order"].search(
            [
                ("b2b_requester_id", "=", member.id),
                ("b2b_state", "in", ("draft", "rejected")),
                ("state", "=", "draft"),
            ],
            order="id desc",
            limit=20,
        )

    @route(
        "/my/premier/product/<int:product_tmpl_id>",
        type="http",
        auth="user",
        website=True,
    )
    def premier_product(self, product_tmpl_id, **kw):
        member = self._member()
        account = member.account_id.sudo()
        product = (
            request.env["product.template"]
            .sudo()
            .search([("id", "=", product_tmpl_id), *account._catalog_domain()], limit=1)
        )
        if not product:
            raise NotFound()
        pricelist = account.pricelist_id
        values = self._values(
            member,
            page_name="b2b_product",
            product=product,
            price=pricelist._get_product_price(product, 1.0),
            currency=pricelist.currency_id,
            attribute_lines=product.valid_product_template_attribute_line_ids,
            configurations=account.configuration_ids.filtered(
                lambda c: c.product_tmpl_id == product
            ),
            drafts=self._drafts(member),
        )
        return request.render("crm_b2b_portal.portal_premier_product", values)

    @route(
        "/my/premier/quote/add",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_add(self, product_tmpl_id=None, quantity=None, quote_id=None, **post):
        member = self._member()
        value_ids = [_int(v) for v in request.httprequest.form.getlist("value_ids")]
        return self._add_to_quote(
            member,
            _int(product_tmpl_id),
            [v for v in value_ids if v],
            quantity,
            quote_id,
        )

    @route(
        "/my/premier/configuration/<int:configuration_id>/add",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_add_configuration(
        self, configuration_id, quantity=None, quote_id=None, **post
    ):
        member = self._member()
        configuration = member.account_id.configuration_ids.filtered(
            lambda c: c.id == configuration_id
        )
        if not configuration:
            raise NotFound()
        product = configuration.sudo().product_id
        return self._add_to_quote(
            member,
            product.product_tmpl_id.id,
            product.product_template_attribute_value_ids.ids,
            quantity,
            quote_id,
        )

    def _add_to_quote(self, member, product_tmpl_id, value_ids, quantity, quote_id):
        """Add a configured product to a draft quote (a new one when none is given)."""
        try:
            with request.env.cr.savepoint():
                order = (
                    self._order(member, _int(quote_id))
                    if _int(quote_id)
                    else request.env["sale.order"].b2b_portal_new_quote()
                )
                order.b2b_portal_add_product(product_tmpl_id, value_ids, quantity)
        except (UserError, ValidationError, AccessError) as error:
            self._flash(error.args[0])
            return request.redirect(self._back())
        self._flash(request.env._("Added to quote %s.", order.name), "success")
        return request.redirect(f"/my/premier/quotes/{order.id}")

    # Quotes ---------------------------------------------------------------------

    @route(
        ["/my/premier/quotes", "/my/premier/quotes/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def premier_quotes(self, page=1, filterby="all", **kw):
        member = self._member()
        return self._quote_list(member, page, filterby, "/my/premier/quotes")

    @route(
        ["/my/premier/orders", "/my/premier/orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def premier_orders(self, page=1, **kw):
        member = self._member()
        return self._quote_list(member, page, "ordered", "/my/premier/orders")

    @route("/my/premier/approvals", type="http", auth="user", website=True)
    def premier_approvals(self, **kw):
        member = self._member()
        orders = request.env["sale.order"]._b2b_inbox(member)
        values = self._values(
            member, page_name="b2b_approvals", orders=orders, pager=False, filterby=None
        )
        return request.render("crm_b2b_portal.portal_premier_quotes", values)

    def _quote_list(self, member, page, filterby, url):
        Order = request.env["sale.order"]
        filterby = filterby if filterby in QUOTE_FILTERS else "all"
        domain = member._visible_order_domain() + QUOTE_FILTERS[filterby]
        pager = portal_pager(
            url=url,
            url_args={"filterby": filterby},
            total=Order.search_count(domain),
            page=page,
            step=QUOTES_PER_PAGE,
        )
        orders = Order.search(
            domain,
            order="date_order desc, id desc",
            limit=QUOTES_PER_PAGE,
            offset=pager["offset"],
        )
        values = self._values(
            member,
            page_name="b2b_orders" if url.endswith("orders") else "b2b_quotes",
            orders=orders,
            pager=pager,
            filterby=filterby,
            filters=QUOTE_FILTERS,
        )
        return request.render("crm_b2b_portal.portal_premier_quotes", values)

    @route(
        "/my/premier/quotes/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_new(self, **post):
        self._member()
        try:
            order = request.env["sale.order"].b2b_portal_new_quote()
        except AccessError as error:
            self._flash(error.args[0])
            return request.redirect("/my/premier/quotes")
        return request.redirect(f"/my/premier/quotes/{order.id}")

    @route("/my/premier/quotes/<int:order_id>", type="http", auth="user", website=True)
    def premier_quote(self, order_id, **kw):
        member = self._member()
        order = self._order(member, order_id)
        order_sudo = order.sudo()
        is_requester = member == order.b2b_requester_id
        # The same checks the actions run: the page offers what the server allows.
        values = self._values(
            member,
            page_name="b2b_quote",
            order=order,
            order_sudo=order_sudo,
            editable=order._b2b_is_editable(member),
            is_requester=is_requester,
            can_decide=order._b2b_can_decide(member),
            can_place=order._b2b_can_place(member),
            cost_centers=member.account_id.cost_center_ids,
            addresses=member.account_id.sudo().delivery_address_ids,
            invoices=order_sudo.invoice_ids.filtered(lambda m: m.state == "posted"),
        )
        return request.render("crm_b2b_portal.portal_premier_quote", values)

    def _quote_action(self, order_id, action, success=None):
        """Run ``action(order)`` on a quote the member sees, back on its page."""
        member = self._member()
        order = self._order(member, order_id)
        url = f"/my/premier/quotes/{order.id}"
        return self._run(url, lambda: action(order), success)

    @route(
        "/my/premier/quotes/<int:order_id>/line/<int:line_id>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_line(self, order_id, line_id, quantity=None, remove=None, **post):
        if remove:
            return self._quote_action(
                order_id, lambda order: order.b2b_portal_remove_line(line_id)
            )
        return self._quote_action(
            order_id, lambda order: order.b2b_portal_set_quantity(line_id, quantity)
        )

    @route(
        "/my/premier/quotes/<int:order_id>/details",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_details(
        self,
        order_id,
        cost_center_id=None,
        client_order_ref=None,
        shipping_id=None,
        **post,
    ):
        return self._quote_action(
            order_id,
            lambda order: order.b2b_portal_set_details(
                _int(cost_center_id), client_order_ref, _int(shipping_id)
            ),
            success=request.env._("Quote saved."),
        )

    @route(
        "/my/premier/quotes/<int:order_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_submit(self, order_id, **post):
        return self._quote_action(
            order_id,
            lambda order: order.action_b2b_submit(),
            success=request.env._("Quote submitted."),
        )

    @route(
        "/my/premier/quotes/<int:order_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_withdraw(self, order_id, **post):
        return self._quote_action(
            order_id, lambda order: order.action_b2b_reset_to_draft()
        )

    @route(
        "/my/premier/quotes/<int:order_id>/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_approve(self, order_id, comment=None, **post):
        return self._quote_action(
            order_id,
            lambda order: order.action_b2b_approve(comment),
            success=request.env._("Your approval is recorded."),
        )

    @route(
        "/my/premier/quotes/<int:order_id>/reject",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_reject(self, order_id, comment=None, **post):
        return self._quote_action(
            order_id,
            lambda order: order.action_b2b_reject(comment),
            success=request.env._("The quote is rejected."),
        )

    @route(
        "/my/premier/quotes/<int:order_id>/place",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_place(self, order_id, **post):
        return self._quote_action(
            order_id,
            lambda order: order.action_b2b_place_order(),
            success=request.env._("Order placed."),
        )

    @route(
        "/my/premier/quotes/<int:order_id>/duplicate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_quote_duplicate(self, order_id, **post):
        member = self._member()
        order = self._order(member, order_id)
        try:
            with request.env.cr.savepoint():
                copy = order.action_b2b_duplicate()
        except (UserError, AccessError) as error:
            self._flash(error.args[0])
            return request.redirect(f"/my/premier/quotes/{order.id}")
        level = "warning" if copy._b2b_reorder_dropped(order) else "success"
        self._flash(copy.sudo()._b2b_reorder_note(order), level)
        return request.redirect(f"/my/premier/quotes/{copy.id}")

    # Members ----------------------------------------------------------------------

    @route("/my/premier/members", type="http", auth="user", website=True)
    def premier_members(self, **kw):
        member = self._member()
        if not member.role_admin:
            raise Forbidden()
        values = self._values(
            member,
            page_name="b2b_members",
            members=member.account_id.with_context(active_test=False).member_ids,
        )
        return request.render("crm_b2b_portal.portal_premier_members", values)

    def _member_values(self, post):
        values = {name: bool(post.get(name)) for name in MEMBER_BOOLEANS}
        values["job_title"] = (post.get("job_title") or "").strip() or False
        try:
            values["approval_limit"] = float(post.get("approval_limit") or 0)
        except ValueError:
            raise ValidationError(
                request.env._("Enter the approval limit as a number.")
            ) from None
        values["manager_id"] = _int(post.get("manager_id")) or False
        values["delegate_id"] = _int(post.get("delegate_id")) or False
        for name in ("delegate_date_from", "delegate_date_to"):
            try:
                values[name] = fields.Date.to_date(post.get(name) or None) or False
            except ValueError:
                raise ValidationError(
                    request.env._("Enter dates as YYYY-MM-DD.")
                ) from None
        return values

    @route(
        "/my/premier/members/<int:member_id>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_member_update(self, member_id, **post):
        actor = self._member()
        if not actor.role_admin:
            raise Forbidden()
        target = actor.account_id.with_context(active_test=False).member_ids.filtered(
            lambda m: m.id == member_id
        )
        if not target:
            raise NotFound()

        def update():
            values = self._member_values(post)
            values["active"] = bool(post.get("active"))
            target.b2b_portal_write(values)

        return self._run(
            "/my/premier/members", update, request.env._("Member updated.")
        )

    @route(
        "/my/premier/members/invite",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def premier_member_invite(self, name=None, email=None, **post):
        if not self._member().role_admin:
            raise Forbidden()

        def invite():
            request.env["b2b.member"].b2b_portal_invite(
                name, email, self._member_values(post)
            )

        return self._run("/my/premier/members", invite, request.env._("Member added."))

    # Reports ------------------------------------------------------------------------

    def _report_member(self):
        member = self._member()
        if not (member.role_admin or member.role_purchaser or member.role_approver):
            raise Forbidden()
        return member

    @route("/my/premier/reports", type="http", auth="user", website=True)
    def premier_reports(self, **kw):
        member = self._report_member()
        values = self._values(
            member,
            page_name="b2b_reports",
            report=member.account_id.sudo()._spend_report(),
            currency=member.account_id.currency_id,
        )
        return request.render("crm_b2b_portal.portal_premier_reports", values)

    # Read-only: served by a replica of the database when there is one.
    @route("/my/premier/reports.xlsx", type="http", auth="user", readonly=True)
    def premier_reports_xlsx(self, **kw):
        member = self._report_member()
        content = member.account_id.sudo()._spend_report_xlsx()
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition("premier-spend.xlsx")),
            ],
        )
