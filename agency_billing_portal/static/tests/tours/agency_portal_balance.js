import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("agency_portal_balance", {
    url: "/my",
    steps: () => [
        {
            content: "The account card shows the open balance",
            trigger: "#agency_account_card .agency_balance:contains('1,500.00')",
        },
        {
            content: "and what is overdue",
            trigger: "#agency_account_card .agency_overdue.text-danger:contains('1,000.00')",
        },
        {
            content: "with the payment terms in plain words",
            trigger: "#agency_account_card .agency_terms:contains('Due within 30 days')",
        },
        {
            content: "Go to the invoices to pay",
            trigger: "#agency_account_card a.agency_see_invoices:contains('See and pay my invoices')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoices list shows the overdue invoice",
            trigger: ".o_portal_my_doc_table tr:contains('INV/2026/')",
        },
    ],
});
