"""docker-compose.yml: accepted by Compose, and shaped as the README says."""

import shutil
import subprocess
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parent.parent


def _compose_command():
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@tagged("post_install", "-at_install")
class TestDockerCompose(BaseCase):
    def _config(self):
        command = _compose_command()
        self.assertTrue(command, "no `docker compose` nor `docker-compose` (bin/agency deps installs it)")
        return subprocess.run(
            [*command, "-f", str(ROOT / "docker-compose.yml"), "config"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )

    def test_compose_accepts_the_file(self):
        result = self._config()
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_official_images_addons_volumes_and_one_shot_install(self):
        config = self._config().stdout
        # the official image plus the OCA addons of requirements.txt (Dockerfile)
        self.assertIn("image: agency-billing-odoo:19", config)
        dockerfile = (ROOT / "Dockerfile").read_text()
        self.assertIn("FROM odoo:19", dockerfile)
        self.assertIn("requirements.txt", dockerfile)
        self.assertIn("image: postgres:16", config)
        for module in ("agency_billing", "agency_billing_reminders", "agency_billing_portal"):
            self.assertIn(f"/mnt/extra-addons/{module}", config)
        self.assertIn("db-data", config)
        self.assertIn("odoo-data", config)
        self.assertIn("--stop-after-init", config)
        self.assertIn("--with-demo", config)
        self.assertIn("service_completed_successfully", config)
