/** @odoo-module **/

import {registry} from "@web/core/registry";

// The field service flow, one role after the other (see test_fs_portal.py).
registry.category("web_tour.tours").add("crm_haier_css_fs_route", {
    steps: () => [
        {
            content: "The agent routes the case",
            trigger: ".o_form_view button[name=action_route]",
            run: "click",
        },
        {
            content: "A visit is proposed",
            trigger: ".o_form_view button[name=action_view_visits]:contains(1)",
        },
        {
            content: "The reasoning is in the chatter",
            trigger: ".o-mail-Message:contains(Routed to outlet)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_haier_css_fs_dispatch", {
    steps: () => [
        {
            content: "The dispatcher schedules the visit",
            trigger: ".o_form_view button[name=action_schedule]",
            run: "click",
        },
        {
            content: "Then dispatches the technician",
            trigger: ".o_form_view button[name=action_dispatch]",
            run: "click",
        },
        {
            content: "The visit is dispatched",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Dispatched)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_haier_css_fs_technician", {
    steps: () => [
        {
            content: "The technician starts today's visit from his screen",
            trigger: ".o_kanban_record button[name=action_start]",
            run: "click",
        },
        {
            content: "Opens it once on site",
            trigger: ".o_kanban_record button[name=action_done]",
        },
        {
            trigger: ".o_kanban_record .fw-bold",
            run: "click",
        },
        {
            content: "Adds the part used",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_field_widget[name=product_id] input",
            run: "edit Drain pump (test)",
        },
        {
            trigger: ".ui-menu-item a:contains(Drain pump (test))",
            run: "click",
        },
        {
            content: "Writes the report",
            trigger: ".o_notebook a:contains(Work Report)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=time_spent] input",
            run: "edit 01:30",
        },
        {
            trigger: ".o_field_widget[name=work_report] .odoo-editor-editable",
            run: "editor Replaced the drain pump.",
        },
        {
            content: "Completes the visit",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_haier_css_fs_sign", {
    steps: () => [
        {
            content: "The customer sees the charge",
            trigger: "#css_expected_charge:contains(Charged)",
        },
        {
            content: "Signs the work report",
            trigger: "#css_sign_button",
            run: "click",
        },
        {
            trigger: ".modal .o_portal_sign_submit:enabled",
        },
        {
            trigger: ".modal .o_web_sign_name_and_signature input:value(Zhang Wei)",
        },
        {
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:eq(3)",
            run: "click",
        },
        {
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The report is signed",
            trigger: "#css_signed:contains(Signed by)",
        },
    ],
});
