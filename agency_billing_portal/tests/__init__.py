from . import test_portal_account
