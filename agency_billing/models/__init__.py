from . import account_move
from . import account_payment_term
from . import res_partner
