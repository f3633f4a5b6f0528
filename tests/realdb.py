"""Real-commit tests: a database of their own, Odoo processes that commit, a worker killed mid-run.

A scheduled action is tested as Odoo's scheduler runs it: not inside the test's rolled-back
transaction (where ``_commit_progress`` cannot commit and no second worker can see anything), but in
separate Odoo processes on a copy of the freshly installed test database.

``bin/agency test`` (and ``devtest``) copies the fresh database to a template nobody connects to and
exports ``AGENCY_TEMPLATE_DB`` and ``AGENCY_ODOO_CONFIG``. Then::

    with RealDatabase("month") as db:
        db.run("result['ids'] = env['res.partner'].create(...).ids")      # commits
        db.run_cron("agency_billing.ir_cron_bill_due_clients", date="2026-11-05 06:00")
        worker = db.start(cron="...", date="...")                           # a Popen
        db.wait_until("SELECT count(*) FROM account_move", lambda n: n >= 10)
        worker.kill()                                                       # SIGKILL
        rows = db.sql("SELECT ...")

Each call of ``run``/``start`` is a new Odoo process (``tests/realdb_worker.py``): its registry,
its cursors, its commits, its clock frozen at ``date`` (ticking). ``run`` raises with the process's
log when it fails.
"""

import configparser
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "realdb_worker.py")
RESULT_PREFIX = "REALDB-RESULT "


class RealDatabaseUnavailable(RuntimeError):
    pass


def _settings():
    config = os.environ.get("AGENCY_ODOO_CONFIG")
    template = os.environ.get("AGENCY_TEMPLATE_DB")
    if not config or not template:
        raise RealDatabaseUnavailable(
            "real-commit tests need AGENCY_ODOO_CONFIG and AGENCY_TEMPLATE_DB: run them with "
            "`bin/agency test` or `bin/agency devtest`, which make the template database"
        )
    return config, template


class Worker:
    """An Odoo process started in the background (``RealDatabase.start``)."""

    def __init__(self, popen, log_path):
        self.popen = popen
        self.log_path = log_path

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        """SIGKILL: no cleanup, no rollback handler, as when the machine or the OOM killer stops it."""
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=60)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def wait(self, timeout=600):
        """Wait for the end; the JSON result (raises with the log when it failed)."""
        try:
            returncode = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"worker {self.pid} still running after {timeout} s:\n{self.log()[-4000:]}") from None
        output = self.log()
        if returncode != 0:
            raise AssertionError(f"worker {self.pid} exited with {returncode}:\n{output[-6000:]}")
        for line in reversed(output.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return json.loads(line[len(RESULT_PREFIX) :])
        raise AssertionError(f"worker {self.pid} printed no result:\n{output[-4000:]}")


class RealDatabase:
    """A copy of the freshly installed test database, dropped at the end (``with`` block)."""

    def __init__(self, label):
        self.config, self.template = _settings()
        self.name = f"{self.template}_{label}"[:63]
        parser = configparser.ConfigParser()
        parser.read(self.config)
        options = parser["options"]
        self._connect_args = {
            "host": options.get("db_host", "127.0.0.1"),
            "port": options.get("db_port", "5432"),
            "user": options.get("db_user", "odoo"),
        }
        self._logs = []

    # ----------------------------------------------------------------- lifecycle
    def _admin(self, query):
        connection = psycopg2.connect(dbname="postgres", **self._connect_args)
        connection.autocommit = True
        try:
            with connection.cursor() as cr:
                cr.execute(query)
        finally:
            connection.close()

    def _drop(self):
        self._admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'")
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')

    def __enter__(self):
        self._drop()
        self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        return self

    def __exit__(self, *exc):
        self._drop()
        for path in self._logs:
            if os.path.exists(path):
                os.unlink(path)
        return False

    # ----------------------------------------------------------------- processes
    def _command(self, code=None, cron=None, date=None, max_rounds=None):
        command = [sys.executable, WORKER, "--config", self.config, "--db", self.name]
        if date:
            command += ["--date", str(date)]
        if code:
            command += ["--code", code]
        if cron:
            command += ["--cron", cron]
        if max_rounds:
            command += ["--max-rounds", str(max_rounds)]
        return command

    def start(self, code=None, *, cron=None, date=None, max_rounds=None):
        """A new Odoo process running ``code`` and/or the scheduled action ``cron``, in the background."""
        handle, path = tempfile.mkstemp(prefix="realdb-", suffix=".log")
        self._logs.append(path)
        popen = subprocess.Popen(
            self._command(code, cron, date, max_rounds),
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=HERE,
        )
        os.close(handle)
        return Worker(popen, path)

    def run(self, code=None, *, cron=None, date=None, max_rounds=None, timeout=600):
        """Run to the end in a new Odoo process; its ``result`` dict (``result['cron']`` for a cron)."""
        return self.start(code, cron=cron, date=date, max_rounds=max_rounds).wait(timeout=timeout)

    def run_cron(self, xmlid, *, date=None, timeout=600):
        """The scheduled action run as Odoo's scheduler runs it, until it is done; its rounds and failures."""
        return self.run(cron=xmlid, date=date, timeout=timeout)["cron"]

    # ----------------------------------------------------------------- reading
    def sql(self, query, params=None):
        """Rows of a query on its own connection (it sees only what was committed)."""
        connection = psycopg2.connect(dbname=self.name, **self._connect_args)
        try:
            with connection.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall() if cr.description else []
        finally:
            connection.rollback()
            connection.close()

    def scalar(self, query, params=None):
        return self.sql(query, params)[0][0]

    def wait_until(self, query, condition, *, timeout=300, worker=None, params=None):
        """Poll ``query``'s first value until ``condition(value)``; the value (raises on time-out)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.scalar(query, params)
            if condition(value):
                return value
            if worker is not None and not worker.alive():
                raise AssertionError(
                    f"worker ended before {query!r} met the condition (last {value!r}):\n{worker.log()[-4000:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"{query!r} did not meet the condition in {timeout} s (last {value!r})")
            time.sleep(0.1)
