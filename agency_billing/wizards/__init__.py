from . import agency_billing_run_wizard
from . import agency_customer_statement_wizard
from . import agency_recommendation_evaluation
from . import account_statement_import
from . import account_statement_import_camt_parser
from . import agency_statement_ofx_parser
