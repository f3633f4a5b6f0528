from freezegun import freeze_time

from odoo import http
from odoo.fields import Domain
from odoo.tests import HttpCase, tagged

from .common import AgencyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTalkBack(AgencyPortalCommon, HttpCase):
    """The customer says it has paid, promises to pay, or disputes an invoice or one project's section."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-22"):
            cls.invoice = cls._make_invoice(
                cls.portal_partner, "2026-10-01", [1200.0, 800.0], sections=["Website redesign", "Brand campaign"]
            )
            cls.other_invoice = cls._make_invoice(cls.other_user.partner_id, "2026-10-01", [777.0])
        cls.sections = cls.invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")

    def _post(self, invoice, kind, **data):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        return self.url_open(
            f"/my/invoices/{invoice.id}/talk/{kind}", data={"csrf_token": http.Request.csrf_token(self), **data}
        )

    def _holds(self, invoice):
        return self.env["agency.reminder.hold"].search([("move_id", "=", invoice.id)])

    @freeze_time("2026-11-22")
    def test_dispute_one_projects_section(self):
        response = self._post(
            self.invoice, "dispute", reason="The banners were never delivered.", section_line_id=self.sections[1].id
        )
        self.assertEqual(response.status_code, 200)
        hold = self._holds(self.invoice)
        self.assertEqual((hold.kind, hold.origin, hold.section_line_id), ("dispute", "portal", self.sections[1]))
        self.assertNotEqual(self.invoice.payment_state, "blocked", "the rest of the invoice is still owed")
        self.assertIn("Your dispute was sent", response.text)
        self.assertIn("agency_hold_dispute", response.text)
        self.assertIn("Brand campaign", response.text)
        # the invoice shows under "Disputed"
        page = self.url_open("/my/invoices?filterby=disputed").text
        self.assertIn(self.invoice.name, page)

    @freeze_time("2026-11-22")
    def test_dispute_whole_invoice_blocks_it(self):
        self._post(self.invoice, "dispute", reason="Not ours.")
        self.assertEqual(self.invoice.payment_state, "blocked")

    @freeze_time("2026-11-22")
    def test_promise_and_paid_claim(self):
        self._post(self.invoice, "promise", date="2026-12-05", note="After our board meeting.")
        self._post(self.invoice, "paid", reference="BANK-4711")
        holds = self._holds(self.invoice)
        self.assertEqual(set(holds.mapped("kind")), {"promise", "paid_claim"})
        self.assertEqual(holds.filtered(lambda h: h.kind == "paid_claim").reference, "BANK-4711")
        self.assertTrue(self.invoice.activity_ids, "the agency gets an activity")

    @freeze_time("2026-11-22")
    def test_bad_input_creates_nothing(self):
        cases = [
            ("promise", {"date": "2026-11-01"}, "in the past"),
            ("promise", {"date": "soon"}, "Choose the date"),
            ("promise", {}, "Choose the date"),
            ("dispute", {"reason": "   "}, "reason"),
            ("dispute", {"reason": "x", "section_line_id": "999999999"}, "Choose one of the projects"),
            ("nonsense", {}, None),
        ]
        for kind, data, message in cases:
            response = self._post(self.invoice, kind, **data)
            self.assertEqual(response.status_code, 200, kind)
            if message:
                self.assertIn(message, response.text, (kind, data))
        self.assertFalse(self._holds(self.invoice))
        # another client's invoice: back to /my, nothing raised on it
        response = self._post(self.other_invoice, "dispute", reason="Not ours.")
        self.assertNotIn("777.00", response.text)
        self.assertFalse(self._holds(self.other_invoice))
        self.assertNotEqual(self.other_invoice.payment_state, "blocked")

    @freeze_time("2026-11-22")
    def test_the_disputed_amount_is_the_one_of_the_reminders(self):
        """The page shows the disputed amount of account.move (taxes included, counted once), the one the
        reminders and the late fees leave out."""
        tax = self.env["account.tax"].sudo().create({"name": "VAT 10 %", "amount": 10.0, "type_tax_use": "sale"})
        invoice = self._make_invoice(
            self.portal_partner,
            "2026-10-01",
            [1200.0, 800.0],
            sections=["Website redesign", "Brand campaign"],
            post=False,
        )
        invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product").tax_ids = tax
        invoice.action_post()
        section = invoice.invoice_line_ids.filtered(lambda line: line.name == "Brand campaign")
        self._post(invoice, "dispute", reason="The banners were never delivered.", section_line_id=section.id)
        self.assertEqual(invoice._agency_disputed_amounts(), {invoice: 880.0})
        page = self.url_open(f"/my/invoices/{invoice.id}").text
        self.assertIn("agency_disputed_amount", page)
        self.assertIn("880.00", page)


@tagged("post_install", "-at_install")
class TestPortalOverdue(AgencyPortalCommon):
    """The portal's "overdue" is the reminders' and Late Clients': an installment past its due date."""

    @freeze_time("2026-11-22")
    def test_first_installment_past_due_makes_the_invoice_overdue(self):
        terms = self.env.ref("account.account_payment_term_advance_60days")  # 30 % now, 70 % at 60 days
        invoice = self._make_invoice(self.portal_partner, "2026-11-01", [1000.0], term=terms)
        Move = self.env["account.move"]
        overdue = Move.search(Move._agency_portal_status_domain("overdue") & Domain("id", "=", invoice.id))
        self.assertEqual(overdue, invoice, "its first installment is past due, its last one is not")
        summary = self.portal_partner.commercial_partner_id._agency_account_summary()
        self.assertAlmostEqual(summary[self.portal_partner.commercial_partner_id.id]["overdue"], 300.0)
