/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("crm_b2b_portal_requester_tour", {
    url: "/my/premier",
    steps: () => [
        {
            content: "Open the configurable laptop from the catalog",
            trigger: "a.o_b2b_product_link:contains('Laptop')",
            run: "click",
        },
        {
            content: "Choose 32 GB of memory (a priced option)",
            trigger: "select.o_b2b_attribute",
            run: "selectByLabel 32 GB",
        },
        {
            content: "Order two of them",
            trigger: "input.o_b2b_quantity",
            run: "edit 2",
        },
        {
            content: "Add to a new quote",
            trigger: "button.o_b2b_add",
            run: "click",
        },
        {
            content: "The quote shows the configured laptop",
            trigger: ".o_b2b_flash:contains('Added to quote')",
        },
        {
            trigger: "table.o_b2b_lines td:contains('32 GB')",
        },
        {
            content: "Give the purchase order reference",
            trigger: "input#b2b_po",
            run: "edit PO-TOUR-1",
        },
        {
            trigger: "button.o_b2b_save",
            run: "click",
        },
        {
            trigger: ".o_b2b_flash:contains('Quote saved.')",
        },
        {
            content: "Submit it for approval",
            trigger: "button.o_b2b_submit",
            run: "click",
        },
        {
            content: "The quote now waits for approval",
            trigger: ".o_b2b_state:contains('Waiting for Approval')",
        },
    ],
});

tours.add("crm_b2b_portal_approver_tour", {
    url: "/my/premier/approvals",
    steps: () => [
        {
            content: "Open the quote waiting for my decision",
            trigger: "a.o_b2b_quote_link",
            run: "click",
        },
        {
            trigger: ".o_b2b_decision textarea.o_b2b_comment",
            run: "edit Fine for the new project",
        },
        {
            content: "Approve it",
            trigger: "button.o_b2b_approve",
            run: "click",
        },
        {
            trigger: ".o_b2b_flash:contains('Your approval is recorded.')",
        },
        {
            trigger: ".o_b2b_state:contains('Approved')",
        },
    ],
});

tours.add("crm_b2b_portal_purchaser_tour", {
    url: "/my/premier/quotes?filterby=approved",
    steps: () => [
        {
            content: "Open the approved quote",
            trigger: "a.o_b2b_quote_link",
            run: "click",
        },
        {
            content: "Place the order",
            trigger: "button.o_b2b_place",
            run: "click",
        },
        {
            trigger: ".o_b2b_flash:contains('Order placed.')",
        },
        {
            trigger: ".o_b2b_state:contains('Ordered')",
        },
    ],
});
