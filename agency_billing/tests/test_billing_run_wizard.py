from odoo.tests import tagged

from .common import BillingRunCommon


@tagged("post_install", "-at_install")
class TestBillingRunWizard(BillingRunCommon):
    """Bill Clients: the preview saves nothing; a billing run exists once the user bills or saves."""

    def _wizard(self, **values):
        return self.env["agency.billing.run.wizard"].create(
            {"date": "2026-11-05", "partner_ids": [(6, 0, self.client_company.ids)], **values}
        )

    def test_preview_creates_no_run(self):
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        Run, Line = self.env["agency.billing.run"], self.env["agency.billing.run.line"]
        runs, lines = Run.search_count([]), Line.search_count([])
        wizard = self._wizard()
        action = wizard.action_preview()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual((Run.search_count([]), Line.search_count([])), (runs, lines), "nothing saved by a preview")
        [line] = wizard.line_ids
        self.assertEqual((line.partner_id, line.state, line.amount), (self.client_company, "to_bill", 1000))
        self.assertEqual((wizard.amount_total, wizard.to_bill_count), (1000, 1))
        wizard.action_preview()  # previewing again replaces the preview
        self.assertEqual(len(wizard.line_ids), 1)
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", self.client_company.id)]))

    def test_bill_creates_the_run_and_its_invoice(self):
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        wizard = self._wizard()
        wizard.action_preview()
        action = wizard.action_bill()
        run = self.env["agency.billing.run"].browse(action["res_id"])
        self.assertEqual((run.state, run.billed_count, run.invoice_count), ("done", 1, 1))

    def test_save_keeps_a_draft_run(self):
        self.client_company.agency_billing_policy = "time_materials"
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        wizard = self._wizard()
        wizard.action_preview()
        run = self.env["agency.billing.run"].browse(wizard.action_save()["res_id"])
        self.assertEqual((run.state, run.to_bill_count, run.invoice_count), ("previewed", 1, 0))

    def test_preview_says_why_a_client_is_left_out(self):
        self.client_company.write({"agency_billing_policy": "time_materials", "agency_pilot_end_date": "2026-12-23"})
        self._order(self.client_company, self.project_web, [(self.hours, 10, 10)])
        wizard = self._wizard()
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.reason, "pilot")
        # the date as the user writes it, not 2026-12-23
        self.assertEqual(wizard.line_ids.message, "Free pilot until 12/23/2026.")
