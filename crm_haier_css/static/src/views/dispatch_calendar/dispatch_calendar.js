/** @odoo-module **/

import {registry} from "@web/core/registry";
import {calendarView} from "@web/views/calendar/calendar_view";
import {CalendarCommonRenderer} from "@web/views/calendar/calendar_common/calendar_common_renderer";
import {CalendarRenderer} from "@web/views/calendar/calendar_renderer";

// A visit's card on the dispatch board says whom it is for, who goes and
// for which case, not only the visit number: a dispatcher plans from the
// cards without opening each one.
export class DispatchCalendarCommonRenderer extends CalendarCommonRenderer {
    static eventTemplate = "crm_haier_css.DispatchCalendarCommonRenderer.event";
}

export class DispatchCalendarRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: DispatchCalendarCommonRenderer,
        week: DispatchCalendarCommonRenderer,
        month: DispatchCalendarCommonRenderer,
    };
}

export const dispatchCalendarView = {
    ...calendarView,
    Renderer: DispatchCalendarRenderer,
};

registry.category("views").add("css_dispatch_calendar", dispatchCalendarView);
