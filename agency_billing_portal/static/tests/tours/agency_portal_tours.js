import { registry } from "@web/core/registry";

function payWithDemoProvider() {
    return [
        {
            content: "Choose the demo payment provider",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "Type test card details",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The payment is processed",
            trigger: "body:contains(Your payment has been processed.)",
            expectUnloadPage: true,
        },
    ];
}

registry.category("web_tour.tours").add("agency_portal_statement", {
    url: "/my",
    steps: () => [
        {
            content: "Open my account from the account card",
            trigger: "#agency_account_card a.agency_my_account",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The account page shows the balance and what is overdue",
            trigger: "#agency_account_page .agency_overdue.text-danger",
        },
        {
            content: "Choose the period of the statement",
            trigger: "#agency_statement_form input[name='date_from']",
            run: "edit 2026-08-01",
        },
        {
            content: "See the statement",
            trigger: "#agency_statement_form button.agency_see_statement",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The statement has the payment and the running balance",
            trigger: "#agency_statement tr.agency_kind_payment",
        },
        {
            content: "Download the statement as PDF and as a spreadsheet",
            trigger: "a.agency_statement_pdf",
            run: async () => {
                for (const selector of ["a.agency_statement_pdf", "a.agency_statement_xlsx"]) {
                    const link = document.querySelector(selector);
                    const response = await fetch(link.href);
                    const type = response.headers.get("Content-Type") || "";
                    const disposition = response.headers.get("Content-Disposition") || "";
                    const body = await response.blob();
                    if (!response.ok || !disposition.includes("attachment") || !body.size) {
                        throw new Error(`${selector}: no file downloaded (${response.status} ${type})`);
                    }
                    if (!/pdf|spreadsheetml/.test(type)) {
                        throw new Error(`${selector}: unexpected file type ${type}`);
                    }
                }
                document.body.classList.add("agency_downloads_ok");
            },
        },
        {
            content: "Both files were downloaded",
            trigger: "body.agency_downloads_ok",
        },
    ],
});

registry.category("web_tour.tours").add("agency_portal_pay_selection", {
    url: "/my/invoices?filterby=open",
    steps: () => [
        {
            content: "Select the first invoice",
            trigger: "input.agency_select_invoice[data-name='INV/2026/00001']",
            run: "click",
        },
        {
            content: "Select the second invoice",
            trigger: "input.agency_select_invoice[data-name='INV/2026/00002']",
            run: "click",
        },
        {
            content: "Pay the selected invoices",
            trigger: "button.agency_pay_selected",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The two invoices are to be paid together",
            trigger: "table.agency_pay_invoices tbody:has(tr:contains('INV/2026/00001')):has(tr:contains('INV/2026/00002'))",
        },
        {
            content: "for their total",
            trigger: ".agency_pay_total:contains('2,250.00')",
        },
        {
            content: "The reference names the two invoices, the same on every load",
            trigger: "#o_payment_summary_reference:contains('INV/2026/00001, INV/2026/00002')",
        },
        ...payWithDemoProvider(),
        {
            content: "A confirmation of the payment, with its reference",
            trigger: "[name='o_payment_status_alert']:contains('Thank you!'):contains('Your payment has been processed.')",
        },
        {
            content: "for the two invoices",
            trigger: "#o_payment_summary_reference:contains('INV/2026/00001, INV/2026/00002')",
        },
    ],
});

registry.category("web_tour.tours").add("agency_portal_pay_partial", {
    url: "/my/invoices?filterby=open",
    steps: () => [
        {
            content: "Open the invoice",
            trigger: ".o_portal_my_doc_table a:contains('INV/2026/00001')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pay another amount",
            trigger: "a.agency_pay_other_amount",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the amount to pay now",
            trigger: "#agency_amount",
            run: "edit 300.50",
        },
        {
            content: "Change the amount",
            trigger: "button.agency_set_amount",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "A part payment",
            trigger: ".agency_partial",
        },
        ...payWithDemoProvider(),
        {
            content: "Back on the invoice",
            trigger: "#invoice_content",
        },
    ],
});

registry.category("web_tour.tours").add("agency_portal_dispute_section", {
    url: "/my/invoices?filterby=open",
    steps: () => [
        {
            content: "Open the consolidated invoice",
            trigger: ".o_portal_my_doc_table a:contains('INV/2026/00001')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "It shows its projects",
            trigger: "#agency_sections tr.agency_section:contains('Brand campaign')",
        },
        {
            content: "First think of promising a date",
            trigger: "button.agency_open_promise",
            run: "click",
        },
        {
            content: "The promise form opens",
            trigger: "#agency_form_promise.show",
        },
        {
            content: "Something is wrong",
            trigger: "button.agency_open_dispute",
            run: "click",
        },
        {
            content: "One form at a time: the dispute form replaces the promise form",
            trigger: "#agency_talk_back_forms:has(#agency_form_dispute.show):not(:has(#agency_form_promise.show)):not(:has(.collapsing))",
        },
        {
            content: "Choose the project",
            trigger: "#agency_dispute_section",
            run: "selectByLabel Brand campaign",
        },
        {
            content: "Say what is wrong",
            trigger: "#agency_dispute_reason",
            run: "edit The banners were never delivered.",
        },
        {
            content: "Send the dispute",
            trigger: "button.agency_send_dispute",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer sees the dispute it raised, open",
            trigger: "#agency_holds tr.agency_hold_dispute:contains('Brand campaign') .agency_hold_state:contains('Open')",
        },
    ],
});

registry.category("web_tour.tours").add("agency_portal_request_quote", {
    url: "/my/account/billing",
    steps: () => [
        {
            content: "A service is suggested",
            trigger: "#agency_suggestions .agency_suggestion:contains('SEO audit')",
        },
        {
            content: "Request a quote",
            trigger: ".agency_suggestion:contains('SEO audit') button.agency_request_quote",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The agency got the request",
            trigger: ".agency_flash.alert-success:contains('SEO audit')",
        },
    ],
});
