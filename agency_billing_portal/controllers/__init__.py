from . import portal
from . import account
from . import payment
from . import talk_back
from . import plan
