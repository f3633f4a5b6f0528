from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AgencyReminderCommon


@tagged("post_install", "-at_install")
class TestReminderCadenceValidation(AgencyReminderCommon):
    """Bad cadences get a clear message and save nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Mia Manager",
                "login": "mia.manager",
                "group_ids": [(6, 0, cls.env.ref("agency_billing.group_agency_billing_manager").ids)],
            }
        )

    def _cadence(self, steps, **values):
        return (
            self.env["agency.reminder.cadence"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Test cadence",
                    "step_ids": [
                        (0, 0, {"sequence": index, "name": name, "days": days})
                        for index, (name, days) in enumerate(steps)
                    ],
                    **values,
                }
            )
        )

    def test_steps_out_of_order(self):
        count = self.env["agency.reminder.step"].search_count([])

        with self.assertRaisesRegex(ValidationError, "out of order") as error, self.env.cr.savepoint():
            self._cadence([("Reminder", 10), ("Friendly note", -3)])
        # the message names the step out of place and its neighbour, with their days
        self.assertIn(
            "“Friendly note” (-3 days from the due date) comes after “Reminder” (10 days)", str(error.exception)
        )
        cadence = self._cadence([("Friendly note", -3), ("Reminder", 10)])
        with self.assertRaisesRegex(ValidationError, "out of order") as error, self.env.cr.savepoint():
            cadence.step_ids[0].sequence = 50  # dragged below the reminder
        self.assertIn(
            "“Friendly note” (-3 days from the due date) comes after “Reminder” (10 days)", str(error.exception)
        )
        self.assertEqual(self.env["agency.reminder.step"].search_count([]), count + 2)

    def test_negative_gap_and_minimum(self):
        for values in ({"min_gap_days": -1}, {"minimum_amount": -5.0}):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self._cadence([("Reminder", 3)], **values)

    def test_two_steps_on_the_same_day(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._cadence([("Reminder", 3), ("Call", 3)])

    def test_the_messages_are_in_the_user_s_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        cadence = self._cadence([("Reminder", 3)])
        with self.assertRaises(ValidationError) as error:
            cadence.with_context(lang="fr_FR").write(
                {"step_ids": [(0, 0, {"sequence": -1, "name": "Late", "days": 30})]}
            )
        self.assertIn("Test cadence", str(error.exception))
