from . import account_payment_term, res_partner
