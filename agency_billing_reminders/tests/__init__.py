from . import test_late_payers
from . import test_reminder_holds
from . import test_reminder_timeline
from . import test_late_fee_entries
