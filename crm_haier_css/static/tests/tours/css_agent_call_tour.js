/** @odoo-module **/

import {registry} from "@web/core/registry";

// An agent answers a call popped by the telephony system, records the
// request for the identified caller and resolves it.
registry.category("web_tour.tours").add("crm_haier_css_agent_call", {
    steps: () => [
        {
            content: "The caller is identified from the number",
            trigger: ".o_field_widget[name=partner_id] input",
            run() {
                if (!this.anchor.value.includes("Zhang Wei")) {
                    throw new Error(`Caller not identified: ${this.anchor.value}`);
                }
            },
        },
        {
            content: "Open the caller's registered products",
            trigger: "a.nav-link:contains('Registered Products')",
            run: "click",
        },
        {
            content: "The 360° card lists the caller's washer",
            trigger: ".o_field_widget[name=asset_ids] .o_data_row:contains('HW80-0001')",
        },
        {
            content: "The caller only has a question",
            trigger: ".o_field_widget[name=case_type] select",
            run: "selectByLabel Inquiry",
        },
        {
            content: "Note the question",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Where is the drain filter?",
        },
        {
            content: "Create the case",
            trigger: "button[name=action_create_case]",
            run: "click",
        },
        {
            content: "The case is a phone case",
            trigger: ".o_field_widget[name=channel] select",
            run() {
                if (!this.anchor.selectedOptions[0].textContent.includes("Phone")) {
                    throw new Error("The case is not recorded as a phone case");
                }
            },
        },
        {
            content: "Resolve it",
            trigger: "button[name=action_resolve]",
            run: "click",
        },
        {
            content: "The case is resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
    ],
});
