import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("agency_portal_autopay", {
    url: "/my/account/billing",
    steps: () => [
        {
            content: "Autopay is off, and there is no saved payment method yet",
            trigger: "#agency_autopay .agency_autopay_off",
        },
        {
            content: "The plain words on what is charged and when",
            trigger: "#agency_autopay .agency_autopay_sentence:contains(on its due date)",
        },
        {
            content: "Save a payment method with Odoo's own page",
            trigger: "#agency_autopay a.agency_autopay_methods",
            run: "click",
            expectUnloadPage: true,
        },
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
            content: "Save the payment method",
            trigger: "button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The payment method is saved",
            trigger: "body:contains(Your payment method has been saved.)",
            expectUnloadPage: true,
        },
        {
            content: "Back on Odoo's page of saved payment methods",
            trigger: "input[name='o_payment_radio']",
        },
        {
            content: "Back to my account",
            trigger: "body",
            run: "goToUrl /my/account/billing",
            expectUnloadPage: true,
        },
        {
            content: "The saved method is offered for autopay",
            trigger: "#agency_autopay select[name='token_id']:contains(4242)",
        },
        {
            content: "Turning it on without agreeing is refused",
            trigger: "#agency_autopay button.agency_autopay_turn_on",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The message says why",
            trigger: ".agency_flash.alert-danger:contains(Tick the box)",
        },
        {
            content: "Agree to the automatic payments",
            trigger: "#agency_autopay input[name='consent']",
            run: "click",
        },
        {
            content: "Turn autopay on",
            trigger: "#agency_autopay button.agency_autopay_turn_on",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Autopay is on, with the saved method",
            trigger: "#agency_autopay .agency_autopay_on",
        },
        {
            content: "The method charged is shown",
            trigger: "#agency_autopay .agency_autopay_method:contains(4242)",
        },
        {
            content: "Turn it off again",
            trigger: "#agency_autopay button.agency_autopay_turn_off",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Autopay is off",
            trigger: "#agency_autopay .agency_autopay_off",
        },
    ],
});
