import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("agency_portal_payment_plan", {
    url: "/my/account/billing",
    steps: () => [
        {
            content: "Pay in installments from My account",
            trigger: "#agency_account_page a.agency_pay_in_installments",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The open invoices to spread are listed",
            trigger: "#agency_plan_page table.agency_plan_invoices tr:contains(INV/2026/00001)",
        },
        {
            content: "Choose three monthly payments",
            trigger: "#agency_plan_form select[name='months']",
            run: "select 3",
        },
        {
            content: "See the schedule",
            trigger: "#agency_plan_form button.agency_plan_see",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Three payments, the total of what is owed",
            trigger: "#agency_plan_page table.agency_plan_schedule:has(tr.agency_plan_line:nth-child(3)) .agency_plan_total:contains(2,250.00)",
        },
        {
            content: "Accepted at once within the limits of the profile",
            trigger: "#agency_plan_page p:contains(This plan is accepted at once.)",
        },
        {
            content: "Send the plan",
            trigger: "#agency_plan_page button.agency_plan_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and the plan is on My account with what is left to pay",
            trigger: "#agency_payment_plans .agency_plan:contains(Running) .agency_plan_left:contains(2,250.00)",
        },
        {
            content: "The message says the plan is accepted",
            trigger: ".agency_flash:contains(your payment plan is accepted)",
        },
    ],
});
