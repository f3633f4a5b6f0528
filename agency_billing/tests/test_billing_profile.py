from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AgencyBillingCommon


@tagged("post_install", "-at_install")
class TestBillingProfile(AgencyBillingCommon):
    def test_profile_is_held_by_the_commercial_entity(self):
        """Contacts, brands and departments show their company's billing profile."""
        for contact in (self.client_brand, self.client_department):
            self.assertEqual(contact.agency_billing_policy, "retainer")
            self.assertEqual(contact.agency_billing_day, 5)
            self.assertEqual(contact.agency_client_code, "ACME")
        self.client_company.write({"agency_billing_policy": "milestone", "agency_billing_day": 12})
        self.assertEqual(self.client_department.agency_billing_policy, "milestone")
        self.assertEqual(self.client_brand.agency_billing_day, 12)
        self.assertFalse(self.client_brand.agency_is_commercial_entity)
        self.assertTrue(self.client_company.agency_is_commercial_entity)

    def test_new_contact_inherits_profile(self):
        contact = self.env["res.partner"].create({"name": "New buyer", "parent_id": self.client_company.id})
        self.assertEqual(contact.agency_client_code, "ACME")
        self.assertEqual(contact.agency_client_profile, "business")

    def test_billing_day_must_exist_in_every_month(self):
        for day in (0, 29, 31, -3):
            with self.subTest(day=day), self.assertRaisesRegex(ValidationError, "between 1 and 28"):
                with self.env.cr.savepoint():
                    self.client_company.agency_billing_day = day
        self.client_company.agency_billing_day = 28
        self.assertEqual(self.client_company.agency_billing_day, 28)

    def test_new_client_gets_the_same_clear_messages(self):
        """Creating a client checks its profile as editing one does: the same message, not the database's
        generic "The operation cannot be completed"."""
        Partner = self.env["res.partner"]
        for values, message in (
            ({"agency_billing_day": 31}, "The billing day of New Client must be between 1 and 28"),
            ({"agency_deposit_percent": 120}, "The deposit of New Client must be between 0 and 100"),
            ({"agency_pilot_notice_days": -2}, "cannot be a negative number of days"),
            ({"agency_client_code": "ABCDEFGHIJKLM"}, "is not valid: use 1 to 12"),
        ):
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message):
                with self.env.cr.savepoint():
                    Partner.create({"name": "New Client", "is_company": True, **values})
        self.assertFalse(Partner.search([("name", "=", "New Client")]), "nothing saved")

    def test_deposit_over_100_percent_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"), self.env.cr.savepoint():
            self.client_company.write({"agency_billing_policy": "deposit", "agency_deposit_percent": 120})
        with self.assertRaisesRegex(ValidationError, "set the deposit percentage"):
            with self.env.cr.savepoint():
                self.client_company.write({"agency_billing_policy": "deposit", "agency_deposit_percent": 0})
        self.client_company.write({"agency_billing_policy": "deposit", "agency_deposit_percent": 40})
        self.assertEqual(self.client_department.agency_deposit_percent, 40)

    def test_client_code_format_and_uniqueness(self):
        self.client_company.agency_client_code = " acme-1 "
        self.assertEqual(self.client_company.agency_client_code, "ACME-1")
        with self.assertRaisesRegex(ValidationError, "is not valid"), self.env.cr.savepoint():
            self.client_company.agency_client_code = "AC ME!"
        other = self.env["res.partner"].create({"name": "Globex", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "already used by Acme Corp"):
            with self.env.cr.savepoint():
                other.agency_client_code = "ACME-1"
        # the company's own contacts share its code without clashing
        self.env["res.partner"].create({"name": "Another contact", "parent_id": self.client_company.id})

    def test_validation_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        partner = self.client_company.with_context(lang="fr_FR")
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            partner.agency_billing_day = 31
        self.assertTrue(error.exception.args[0])

    def test_payment_terms_in_plain_words(self):
        self.assertEqual(self.client_company.agency_payment_terms_text, "Due within 30 days")
        immediate = self.env.ref("account.account_payment_term_immediate")
        self.client_company.property_payment_term_id = immediate
        self.assertEqual(self.client_company.agency_payment_terms_text, "Due on receipt")
        self.client_company.property_payment_term_id = False
        self.assertEqual(self.client_company.agency_payment_terms_text, "Due on receipt")
        term = self.env.ref("account.account_payment_term_30days")
        self.assertEqual(
            term._agency_plain_terms(date_ref="2026-11-22"),
            "Due within 30 days, by December 22, 2026",
        )
        advance = self.env.ref("account.account_payment_term_advance_60days")
        self.assertIn("In 2 installments", advance._agency_plain_terms())
        self.assertNotIn("Net", advance._agency_plain_terms())

    def test_billing_tab_on_partner_form(self):
        with Form(self.env["res.partner"].with_user(self.agency_user)) as form:
            form.name = "Initech"
            form.company_type = "company"
            form.agency_billing_policy = "deposit"
            form.agency_deposit_percent = 50
            form.agency_client_code = "init"
            form.agency_client_profile = "public"
            form.agency_po_required = True
        partner = form.record
        self.assertEqual(partner.agency_client_code, "INIT")
        self.assertEqual(partner.agency_client_profile, "public")

    def test_list_filters(self):
        Partner = self.env["res.partner"]
        self.assertIn(self.client_company, Partner.search([("agency_billing_policy", "=", "retainer")]))
        self.client_company.agency_on_hold = True
        self.assertIn(self.client_company, Partner.search([("agency_on_hold", "=", True)]))
