from odoo.tests import Form, tagged

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestReminderMessageDisplay(AgencyReminderCommon):
    """Staff see what a client received: a menu, rows that open, labels and dates as people write them."""

    def _message(self, channels="mail,letter"):
        invoice = self._invoice(self.client_company, "2026-09-01", 1000.0)
        message = (
            self.env["agency.reminder.message"]
            .sudo()
            .create(
                {
                    "partner_id": self.client_company.id,
                    "company_id": self.env.company.id,
                    "date": "2026-12-03",
                    "step_id": self.cadence_business.step_ids[-1].id,
                    "channels": channels,
                }
            )
        )
        log = (
            self.env["agency.reminder.log"]
            .sudo()
            .create(
                {
                    "line_id": invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").id,
                    "move_id": invoice.id,
                    "partner_id": self.client_company.id,
                    "step_id": self.cadence_business.step_ids[-1].id,
                    "date": "2026-12-03",
                    "date_maturity": invoice.invoice_date_due,
                    "channel": "notice",
                    "amount": 1000.0,
                    "currency_id": invoice.currency_id.id,
                    "state": "sent",
                    "message_id": message.id,
                }
            )
        )
        return message, log

    def test_name_and_channels_read_as_sentences(self):
        message, _log = self._message()
        self.assertEqual(message.name, f"Reminder to {self.client_company.name}, 12/03/2026")
        self.assertEqual(message.channels_label, "Email, Printed letter")
        self.env["res.lang"]._activate_lang("fr_FR")
        french = message.with_context(lang="fr_FR")
        self.assertIn("03/12/2026", french.name)
        self.assertNotIn("2026-12-03", french.name)
        self.assertEqual(self._message("call,collections")[0].channels_label, "Phone call, Collections hand-off")

    def test_history_rows_open_and_lead_to_the_message(self):
        message, log = self._message()
        action = self.env["ir.actions.act_window"]._for_xml_id("agency_billing_reminders.action_agency_reminder_log")
        self.assertIn("form", action["view_mode"].split(","))
        staff = self.salesperson  # billing staff
        form = Form(log.with_user(staff))
        self.assertEqual(form.message_id, message)
        opened = log.with_user(staff).action_open_message()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("agency.reminder.message", message.id))
        # the message itself: what was sent, on which channels, for which invoices and amounts
        message_form = Form(message.with_user(staff))
        self.assertEqual(message_form.channels_label, "Email, Printed letter")
        self.assertIn("1,000.00", str(message.with_user(staff).lines_html))
        menu = self.env.ref("agency_billing_reminders.menu_agency_reminder_messages")
        self.assertEqual(menu.action, self.env.ref("agency_billing_reminders.action_agency_reminder_message"))
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(staff)._visible_menu_ids())
