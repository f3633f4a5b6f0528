from . import agency_late_fee_waive
from . import agency_reminder_hold_wizard
from . import agency_reminder_send_wizard
from . import agency_payment_plan_wizard
