# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AgingStatementPortal(CustomerPortal):
    @http.route("/my/statement", type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        """The customer's own open items and aging in the current company, read
        with the customer's own rights."""
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aging_statement",
                "data": partner._aging_statement_data(),
            }
        )
        return request.render("crm_receivables_aging.portal_my_statement", values)

    @http.route("/my/statement/pdf", type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, download=None, **kw):
        """The customer's statement as PDF, rendered with the customer's own
        rights (not as superuser, as ``_show_report`` would) so that it covers
        only its own account in its own company."""
        partner = request.env.user.partner_id.commercial_partner_id
        pdf = request.env["ir.actions.report"]._render_qweb_pdf(
            "crm_receivables_aging.action_report_customer_statement", partner.ids
        )[0]
        headers = self._get_http_headers(partner, "pdf", pdf, download == "true")
        return request.make_response(pdf, headers=list(headers.items()))
