from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .late_fee_common import AgencyLateFeeCommon


@tagged("post_install", "-at_install")
class TestLateFeeValidation(AgencyLateFeeCommon):
    """Bad figures get a clear message and nothing is saved."""

    def test_bad_policies(self):
        Policy = self.env["agency.late.fee.policy"]
        count = Policy.search_count([])
        cases = [
            ({"kind": "fixed", "cap_amount": -1.0}, "cap cannot be below zero"),
            ({"kind": "interest", "annual_rate": 100.5}, "annual rate must be between 0 and 100"),
            ({"kind": "percent", "percent": 120.0}, "percentage must be between 0 and 100"),
            ({"kind": "fixed", "grace_days": -3}, "grace days cannot be negative"),
            ({"kind": "fixed", "fixed_amount": -25.0}, "fee amount cannot be negative"),
            ({"kind": "fixed", "compensation_amount": -40.0}, "compensation cannot be negative"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message):
                with self.env.cr.savepoint():  # the request's transaction, rolled back on the error
                    self._policy(**values)
        self.assertEqual(Policy.search_count([]), count)
        policy = self._policy(kind="fixed", fixed_amount=25.0, cap_amount=100.0)
        with self.assertRaisesRegex(ValidationError, "cap cannot be below zero"), self.env.cr.savepoint():
            policy.cap_amount = -5.0
        self.assertEqual(policy.cap_amount, 100.0)

    def test_bad_reference_rates(self):
        Rate = self.env["agency.reference.rate"]
        count = Rate.search_count([])
        with self.assertRaisesRegex(ValidationError, "1 January or 1 July"), self.env.cr.savepoint():
            Rate.create({"date_from": "2026-03-15", "rate": 2.0})
        with self.assertRaisesRegex(ValidationError, "between -100 % and 100 %"), self.env.cr.savepoint():
            Rate.create({"date_from": "2026-01-01", "rate": 150.0})
        self.assertEqual(Rate.search_count([]), count)
