# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup, escape

from odoo import models

from ..tools.portal_input import PortalInputError, pending_attachments, upload_errors


class CssServiceOrder(models.Model):
    _inherit = "css.service.order"

    def _distributor_complete(self, report, hours, parts, uploads):
        """Report the visit done from the distributor portal, in one go.

        Runs the visit through dispatch and start when needed, adds the
        parts, the report, the time and the photos, completes it (parts
        leave the outlet's stock, charged lines are invoiced); the customer
        then signs the report (``_portal_sign``). The caller runs it in a
        savepoint: any refusal leaves the visit as it was.

        :param report: the work report (plain text)
        :param hours: time spent, hours as a string or a number
        :param parts: list of (internal reference, quantity) of the parts used
        :param uploads: photos, dicts like the customer portal's uploads
        :raise PortalInputError: one message per wrong field
        """
        self.ensure_one()
        self.case_id._css_check_distributor_case(self.env._("completed"))
        self.check_access("write")
        errors = {}
        report = (report or "").strip()
        try:
            hours = float(hours or 0)
        except (TypeError, ValueError):
            hours = 0
        if not report:
            errors["report"] = self.env._("Write what was done.")
        if hours <= 0:
            errors["hours"] = self.env._("Enter the time spent, in hours.")
        if self.state not in ("scheduled", "dispatched", "on_site"):
            errors["form"] = self.env._("Schedule the visit before completing it.")
        lines, unknown = self._distributor_part_lines(parts)
        if unknown:
            errors["parts"] = self.env._(
                "Unknown part references: %(refs)s.", refs=", ".join(unknown)
            )
        errors.update(upload_errors(self.env, uploads))
        if errors:
            raise PortalInputError(errors)
        visit = self.sudo()
        if visit.state == "scheduled":
            visit.action_dispatch()
        if visit.state == "dispatched":
            visit.action_start()
        visit.write(
            {
                "work_report": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(report).split("\n")),
                "time_spent": hours,
                "line_ids": lines,
            }
        )
        if uploads:
            visit._distributor_attach(uploads)
        visit.action_done()
        return True

    def _distributor_part_lines(self, parts):
        """Return the line commands of the parts and the unknown references."""
        refs = [ref.strip() for ref, _qty in parts if ref and ref.strip()]
        products = {
            product.default_code: product
            for product in self.env["product.product"]
            .sudo()
            .search([("default_code", "in", refs)])
        }
        unknown = [ref for ref in refs if ref not in products]
        commands = []
        for ref, quantity in parts:
            ref = (ref or "").strip()
            if ref in products:
                try:
                    quantity = float(quantity or 1)
                except (TypeError, ValueError):
                    quantity = 1.0
                commands.append(
                    (
                        0,
                        0,
                        {
                            "line_type": "part",
                            "product_id": products[ref].id,
                            "quantity": quantity,
                        },
                    )
                )
        return commands, unknown

    def _distributor_attach(self, uploads):
        """Attach the photos of the work to the visit in one message."""
        self.ensure_one()
        attachments = pending_attachments(self.env, uploads)
        self.message_post(
            body=self.env._("Photos of the work."),
            author_id=self.env.user.partner_id.id,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
