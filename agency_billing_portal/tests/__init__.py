from . import test_portal_account
from . import test_portal_pay_selection
from . import test_portal_talk_back
from . import test_portal_account_page
from . import test_portal_invoices
from . import test_portal_query_counts
from . import test_portal_receipts
from . import test_portal_newcomer
