# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AgingStatementPortal(CustomerPortal):
    @http.route("/my/statement", type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        """The customer's own open items and aging, read with its own rights."""
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
    def portal_my_statement_pdf(self, **kw):
        """The customer's statement as PDF."""
        partner = request.env.user.partner_id.commercial_partner_id
        return self._show_report(
            model=partner,
            report_type="pdf",
            report_ref="crm_receivables_aging.action_report_customer_statement",
            download=kw.get("download") == "true",
        )
