from . import test_late_payers
