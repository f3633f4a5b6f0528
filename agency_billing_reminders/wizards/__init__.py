from . import agency_late_fee_waive
