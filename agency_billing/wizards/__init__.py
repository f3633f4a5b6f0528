from . import agency_billing_run_wizard
from . import agency_customer_statement_wizard
from . import agency_recommendation_evaluation
