"""Odoo's own command line, without the websocket (gevent) worker the portal does not need.

The prefork server spawns a gevent worker for websockets; where gevent's optional plugins cannot load
(as on the benchmark machine) it dies and is respawned again and again, eating the CPU being measured.
Here a harmless `sleep` child stands in for it. Usage: python3 bench/odoo_server.py <odoo-bin arguments>.
"""

import subprocess
import sys

from odoo.cli.command import main
from odoo.service import server


def _no_long_polling(self):
    self.long_polling_pid = subprocess.Popen(["sleep", "86400"]).pid


server.PreforkServer.long_polling_spawn = _no_long_polling

if __name__ == "__main__":
    sys.argv[0] = "odoo-bin"
    main()
