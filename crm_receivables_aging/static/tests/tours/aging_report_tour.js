/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_receivables_aging_report_tour", {
    steps: () => [
        {
            content: "Open the open items as of today",
            trigger: ".modal button[name='action_view_items']",
            run: "click",
        },
        {
            content: "The pivot shows the customer by bucket",
            trigger: ".o_pivot th:contains('Tour Appliances')",
        },
        {
            content: "with its overdue bucket",
            trigger: ".o_pivot th:contains('31-60')",
        },
        {
            content: "Drill down: open the list of open items",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the customer's group",
            trigger: ".o_list_view .o_group_name:contains('Tour Appliances')",
            run: "click",
        },
        {
            content: "Its open invoice is listed, 40 days overdue",
            trigger: ".o_list_view .o_data_row:contains('31-60'):contains('40')",
        },
    ],
});
