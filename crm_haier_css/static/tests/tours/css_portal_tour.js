/** @odoo-module **/

import {registry} from "@web/core/registry";

// A customer asks for a repair on the portal and follows the request.
registry.category("web_tour.tours").add("crm_haier_css_portal_request", {
    url: "/my/service",
    steps: () => [
        {
            content: "Start a new request",
            trigger: "a[href='/my/service/new']",
            run: "click",
        },
        {
            content: "Pick the registered washer",
            trigger: "select[name=asset_id]",
            run: "selectByLabel HW80-0001",
        },
        {
            content: "Give a subject",
            trigger: "input[name=subject]",
            run: "edit Drum does not turn",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name=description]",
            run: "edit The drum stopped turning this morning.",
        },
        {
            content: "Send the request",
            trigger: "#css_case_new_form button[type=submit]",
            run: "click",
        },
        {
            content: "The request page shows the answer promise",
            trigger: "strong:contains('We answer by')",
        },
        {
            content: "Book a visit window",
            trigger: "#css_appointment_form select[name=slot]",
            run: "selectByLabel Afternoon",
        },
        {
            content: "Pick a day",
            trigger: "#css_appointment_form input[name=appointment_date]",
            run() {
                this.anchor.value = "2099-06-01";
            },
        },
        {
            content: "Book",
            trigger: "#css_appointment_form button[type=submit]",
            run: "click",
        },
        {
            content: "The visit is booked",
            trigger: "strong:contains('Preferred visit')",
        },
        {
            content: "Write to the service desk",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The model number is HW80-B14266",
        },
        {
            content: "Send the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the timeline",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('HW80-B14266')",
        },
    ],
});
