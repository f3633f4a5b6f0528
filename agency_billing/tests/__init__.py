from . import test_billing_profile
from . import test_billing_run
from . import test_billing_run_performance
from . import test_invoice_numbering
from . import test_billing_run_policies
from . import test_agency_invoice_report
from . import test_customer_statement
