from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .autopay_common import AgencyAutopayCommon


@tagged("post_install", "-at_install")
class TestAutopayConsent(AgencyAutopayCommon):
    """Only the customer turns autopay on, with its own saved method of a provider of the right company;
    the customer or staff turn it off; bad input is refused in the user's language, nothing saved."""

    def _mandates(self):
        return self.env["agency.autopay.mandate"].sudo().search([])

    def test_turn_on_keeps_who_and_when(self):
        with freeze_time("2026-11-02 09:30"):
            mandate = self._turn_on()
        self.assertEqual(mandate.sudo().state, "on")
        self.assertEqual(mandate.sudo().consent_user_id, self.portal_user)
        self.assertEqual(str(mandate.sudo().consent_date), "2026-11-02 09:30:00")
        self.assertEqual(mandate.sudo().partner_id, self.client)
        values = (
            self.env["agency.autopay.mandate"]
            .with_user(self.portal_user)
            ._agency_autopay_portal_values(self.env.company)
        )
        self.assertTrue(values["on"])
        self.assertIn("on its due date", values["sentence"])
        self.assertEqual(values["tokens"], self.token)
        # replacing the method: the same mandate, the new token, consent renewed
        other = self._token(self.client)
        with freeze_time("2026-11-05 10:00"):
            again = self._turn_on(token=other)
        self.assertEqual(again, mandate)
        self.assertEqual(mandate.sudo().token_id, other)
        # the customer turns it off
        self.env["agency.autopay.mandate"].with_user(self.portal_user)._agency_autopay_portal_turn_off(
            self.env.company.id
        )
        self.assertEqual(mandate.sudo().state, "off")
        self.assertEqual(mandate.sudo().off_user_id, self.portal_user)

    def test_another_clients_token_is_refused(self):
        stranger = self._client("Stranger Ltd")
        theirs = self._token(stranger)
        with self.assertRaisesRegex(UserError, "cannot be used for autopay"):
            self._turn_on(token=theirs)
        self.assertFalse(self._mandates())

    def test_another_companys_token_is_refused(self):
        other = self.setup_other_company(name="Other Agency")["company"]
        foreign = self._token(self.client, provider=self._demo_provider(other))
        with self.assertRaisesRegex(UserError, "another company"):
            self._turn_on(token=foreign)
        self.assertFalse(self._mandates())

    def test_message_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.portal_user.lang = "fr_FR"
        Mandate = self.env["agency.autopay.mandate"].with_user(self.portal_user).with_context(lang="fr_FR")
        with self.assertRaises(UserError):
            Mandate._agency_autopay_turn_on(self._token(self._client("Stranger Ltd")).id, self.env.company.id)
        for bad in ("1", None, True, -1, 10**12):
            with self.assertRaises(UserError):
                self.env["agency.autopay.mandate"].with_user(self.portal_user)._agency_autopay_turn_on(
                    bad, self.env.company.id
                )
        self.assertFalse(self._mandates())

    def test_staff_never_turn_it_on(self):
        with freeze_time("2026-11-02 09:30"):
            mandate = self._turn_on()
        Mandate = self.env["agency.autopay.mandate"].with_user(self.salesperson)
        mandate = Mandate.browse(mandate.id)
        mandate.action_turn_off()
        self.assertEqual(mandate.state, "off")
        with self.assertRaisesRegex(UserError, "Only the client"):
            mandate.write({"state": "on"})
        with self.assertRaises(UserError):
            Mandate.create({"partner_id": self.client.id, "company_id": self.env.company.id, "state": "on"})
        mandate.max_amount = 2500.0  # the ceiling is staff's
        self.assertEqual(mandate.state, "off")
        # the customer's portal user cannot write the mandate either (read only)
        with self.assertRaises(AccessError):
            self.env["agency.autopay.mandate"].with_user(self.portal_user).browse(mandate.id).write({"max_amount": 0})
