/** @odoo-module **/

import {registry} from "@web/core/registry";

// A distributor accepts, schedules and completes a case routed to its
// outlet on /my/distributor (see test_distributor_portal.py).
registry.category("web_tour.tours").add("crm_haier_css_distributor_case", {
    url: "/my/distributor",
    steps: () => [
        {
            content: "Open the case waiting for an answer",
            trigger: "tr:contains('Tour: pump noise') a[href^='/my/distributor/case/']",
            run: "click",
        },
        {
            content: "Accept it",
            trigger: "#css_distributor_accept",
            run: "click",
        },
        {
            content: "Pick the first free window offered",
            trigger: "#css_slot_form label[for=css_slot_0]",
            run: "click",
        },
        {
            trigger: "#css_slot_form input[name=slot_start]:checked",
        },
        {
            content: "Schedule the visit",
            trigger: "#css_slot_submit",
            run: "click",
        },
        {
            content: "Write the work report",
            trigger: "#css_complete_form textarea[name=report]",
            run: "edit Replaced the drain pump.",
        },
        {
            // Whole hours: typed key by key, "1." empties a number input.
            content: "Enter the time spent",
            trigger: "#css_complete_form input[name=hours]",
            run: "edit 2",
        },
        {
            content: "Add the part used",
            trigger: "#css_complete_form #part_ref_0",
            run: "edit HW-PUMP-01",
        },
        {
            content: "Complete the visit",
            trigger: "#css_complete_submit",
            run: "click",
        },
        {
            content: "The report is done, waiting for the customer's signature",
            trigger: "#css_visit:contains('Replaced the drain pump.') #css_sign_button",
        },
    ],
});
