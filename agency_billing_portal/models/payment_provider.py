import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _agency_demo_enable_test_provider(self):
        """Demo data only: Odoo's demo provider in test mode, when its module (payment_demo, installed by
        the demo's own setup, never a dependency) is there; else the demo has no online payment."""
        provider = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        provider = provider and provider.sudo()
        if not provider or provider.module_id.state != "installed":
            _logger.info("payment_demo is not installed: the demo has no online payment")
            return False
        provider.write({"state": "test", "is_published": True})
        return True
