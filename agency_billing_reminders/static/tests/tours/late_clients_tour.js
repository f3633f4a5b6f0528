import { registry } from "@web/core/registry";

const row = "tr.o_data_row:contains('Tour Late Client')";

registry.category("web_tour.tours").add("agency_late_clients_tour", {
    url: "/odoo/action-agency_billing_reminders.action_agency_late_client",
    steps: () => [
        // send the next step now
        {
            content: "The late client is listed with its current step",
            trigger: `${row} td[name='days_late']`,
        },
        {
            content: "Send its next step now",
            trigger: `${row} button[name='action_send_next_step']`,
            run: "click",
        },
        {
            content: "Sent",
            trigger: ".o_notification:contains('Reminder sent')",
        },
        // record a promise to pay
        {
            content: "Record a promise",
            trigger: `${row} button[name='action_promise']`,
            run: "click",
        },
        {
            content: "Choose the invoice",
            trigger: ".modal div[name='move_id'] input",
            run: "edit INV",
        },
        {
            // the invoice itself, once the search has answered (not a stale or "Search More" item)
            trigger: ".o-autocomplete--dropdown-item a:contains('INV/')",
            run: "click",
        },
        {
            trigger: ".modal div[name='move_id'] input:value('INV/')",
        },
        {
            content: "Promised for the end of next month",
            trigger: ".modal div[name='date'] input",
            run: "edit 12/31/2099",
        },
        {
            trigger: ".modal div[name='amount'] input",
            run: "edit 100",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The promise shows on the client",
            trigger: `${row} td[name='hold_kind']:contains('Promise to pay')`,
        },
        // pause the client
        {
            content: "Pause the client",
            trigger: `${row} button[name='action_pause']`,
            run: "click",
        },
        {
            trigger: ".modal div[name='date'] input",
            run: "edit 12/15/2099",
        },
        {
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Annual closing",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Back on the list, the client is on hold",
            trigger: `${row} td[name='hold_kind']:contains('Paused')`,
        },
    ],
});
