from . import report_customer_statement
