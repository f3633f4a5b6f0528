from . import test_late_payers
from . import test_reminder_holds
from . import test_reminder_timeline
from . import test_late_fee_entries
from . import test_late_fee_once
from . import test_late_fee_waiver
from . import test_late_fee_validation
from . import test_late_fee_eu_preset
