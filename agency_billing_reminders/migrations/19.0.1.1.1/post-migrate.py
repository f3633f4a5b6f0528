"""19.0.1.1.1: the shipped data is ``noupdate``; fix what an existing database keeps.

- The business cadence's "Third reminder" went out with the second reminder's template: it gets its own
  (unless staff chose another one).
- Holds get the day they were raised (``date_from``): the day of their creation.
- Payment receipts went to the payment's partner (the template's default recipients): they go to the
  client's billing contacts, as reminders do (unless staff edited the template's recipients).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("UPDATE agency_reminder_hold SET date_from = create_date::date")
    env = api.Environment(cr, SUPERUSER_ID, {})
    step = env.ref("agency_billing_reminders.step_business_3", raise_if_not_found=False)
    firm = env.ref("agency_billing_reminders.mail_template_reminder_firm", raise_if_not_found=False)
    third = env.ref("agency_billing_reminders.mail_template_reminder_third", raise_if_not_found=False)
    if step and third and step.mail_template_id == firm:
        step.mail_template_id = third
    receipt = env.ref("agency_billing_reminders.mail_template_payment_receipt", raise_if_not_found=False)
    if receipt and receipt.partner_to == "{{ object._agency_receipt_partner().id }}":
        receipt.write({"partner_to": "{{ object._agency_receipt_recipients_csv() }}", "use_default_to": False})
