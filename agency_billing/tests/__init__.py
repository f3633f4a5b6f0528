from . import test_billing_profile
