from odoo import api, fields, models

from odoo.addons.account.models.company import PEPPOL_DEFAULT_COUNTRIES


class ResPartner(models.Model):
    """Which e-invoice a client gets by default (Odoo's ``invoice_edi_format``), from its country and
    its client profile; staff change it per client with Odoo's own field (``invoice_edi_format``)."""

    _inherit = "res.partner"

    agency_buyer_reference = fields.Char(
        string="Buyer Reference",
        help="The reference this client wants on its e-invoices to route them (BuyerReference, BT-10): "
        "the Leitweg-ID of a German public buyer, the service code of a French one, the reference "
        "person or cost centre of a Norwegian one. Without it, the e-invoice carries the order's PO.",
    )

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "agency_buyer_reference"]

    # EXTENDS account: the default also depends on the client profile
    @api.depends("agency_client_profile", "agency_billing_policy")
    def _compute_invoice_edi_format(self):
        return super()._compute_invoice_edi_format()

    # EXTENDS account (its default is no e-invoice at all)
    def _get_suggested_invoice_edi_format(self):
        return self.commercial_partner_id._agency_suggested_edi_format() or super()._get_suggested_invoice_edi_format()

    def _agency_is_einvoice_client(self):
        """Clients of the agency: billed by the billing run, or public administrations."""
        self.ensure_one()
        return bool(self.agency_billing_policy) or self.agency_client_profile == "public"

    def _agency_on_peppol(self):
        """Registered on the Peppol network (``account_peppol`` checked the address), when it is installed."""
        self.ensure_one()
        return "peppol_verification_state" in self._fields and self.peppol_verification_state == "valid"

    def _agency_suggested_edi_format(self):
        """The e-invoice format an agency client gets by default, or False (the PDF alone):

        * French clients: Factur-X (the agency PDF with its CII XML embedded, PDF/A-3);
        * public administrations in a Peppol country and clients on Peppol: Peppol BIS Billing 3
          (EHF in Norway), or the country's own flavour of it (XRechnung for Germany, NLCIUS for the
          Netherlands), as Odoo's ``_get_suggested_peppol_edi_format`` chooses it.
        """
        self.ensure_one()
        if not self._agency_is_einvoice_client():
            return False
        country = self._deduce_country_code()
        if country == "FR":
            return "facturx"
        if (self.agency_client_profile == "public" and country in PEPPOL_DEFAULT_COUNTRIES) or self._agency_on_peppol():
            return self._get_suggested_peppol_edi_format()
        return False
