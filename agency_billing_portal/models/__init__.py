from . import account_move
from . import account_move_payment
from . import account_move_receipt
from . import payment_transaction
from . import res_partner
from . import agency_statement_document
from . import account_move_line
