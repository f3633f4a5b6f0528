from . import test_billing_profile
from . import test_billing_run
from . import test_billing_run_performance
