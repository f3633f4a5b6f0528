from lxml import etree

from odoo.tests import TransactionCase, tagged

LANGS = ("fr_FR", "nb_NO", "ko_KR", "zh_CN")


@tagged("post_install", "-at_install")
class TestPartnerFormLabels(TransactionCase):
    """Our Billing tab of the client form is not named like another tab (Odoo's Invoicing) in any language."""

    def test_billing_tab_has_its_own_name_in_each_language(self):
        for lang in LANGS:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["account", "agency_billing"], list(LANGS), overwrite=True)
        for lang in ("en_US", *LANGS):
            with self.subTest(lang=lang):
                arch = self.env["res.partner"].with_context(lang=lang).get_views([(False, "form")])["views"]["form"]
                pages = {page.get("name"): page.get("string") for page in etree.fromstring(arch["arch"]).iter("page")}
                ours = pages.pop("agency_billing")
                self.assertNotIn(ours, pages.values(), f"{lang}: two tabs named {ours}")
        self.assertEqual(pages["accounting"], "发票")  # Odoo's own translations were loaded
