from . import test_late_payers
from . import test_reminder_holds
