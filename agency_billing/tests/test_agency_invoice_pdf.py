import io
import re
import subprocess
import tempfile
from pathlib import Path

from markupsafe import Markup
from PIL import Image

from odoo.tests import HttpCase, tagged

from .common import AgencyInvoiceCommon

try:
    from pypdf import PdfReader
except ImportError:  # pragma: no cover
    PdfReader = None

# Hangul, CJK ideographs and their punctuation: what a Latin font cannot draw
CJK_RUN = re.compile(r"[\u1100-\u11ff\u3000-\u303f\u3130-\u318f\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]+")
SHIPPED_LANGUAGES = {"fr": "fr_FR", "nb": "nb_NO", "ko": "ko_KR", "zh-cn": "zh_CN"}  # fontconfig: Odoo


@tagged("post_install", "-at_install")
class TestAgencyInvoicePdf(AgencyInvoiceCommon, HttpCase):
    """A real PDF through wkhtmltopdf (an HttpCase: wkhtmltopdf loads the report's assets from the server)."""

    def test_real_pdf(self):
        if PdfReader is None:
            self.skipTest("pypdf is not installed")
        invoice = self._agency_invoice()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report.report_name, invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
        # a long invoice (25 more lines) runs over two pages
        long_invoice = self._agency_invoice(post=False)
        long_invoice.write(
            {
                "invoice_line_ids": [
                    self._prepare_invoice_line(price_unit=10.0, name=f"Content update {index}", tax_ids=[])
                    for index in range(25)
                ]
            }
        )
        pdf, _ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report.report_name, long_invoice.ids)
        )
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 2)

    def test_fonts_cover_every_shipped_language(self):
        """wkhtmltopdf draws nothing for a character no installed font has: each language the documents
        are shipped in needs a font (Korean and Chinese: fonts-noto-cjk, installed by bin/agency)."""
        for fc_lang, lang in SHIPPED_LANGUAGES.items():
            with self.subTest(lang=lang):
                fonts = subprocess.run(["fc-list", f":lang={fc_lang}"], capture_output=True, text=True, check=True)
                self.assertTrue(fonts.stdout.strip(), f"no font for {lang}: its invoices would print blanks")

    def _ink(self, pdf):
        """Dark pixels of each page of a PDF, rasterised by poppler."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "doc.pdf")
            path.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(Path(tmp, "page"))], check=True)
            pages = []
            for page in sorted(Path(tmp).glob("page*.pgm")):
                with Image.open(page) as image:
                    pages.append(sum(image.histogram()[:128]))
            return pages

    def test_korean_and_chinese_invoices_draw_their_text(self):
        """Every Korean or Chinese word of a Korean or Chinese client's invoice (labels, terms in plain
        words, dates, total in words) is drawn in the PDF: each one, alone on a page through wkhtmltopdf
        as the report prints it, leaves ink on that page."""
        invoice = self._agency_invoice()
        for lang in ("ko_KR", "zh_CN"):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["agency_billing"], [lang], overwrite=True)
                self.client_company.lang = lang
                words = list(dict.fromkeys(CJK_RUN.findall(self._render(invoice))))
                self.assertGreater(len(words), 10, "the invoice is translated")
                page = Markup('<p style="font-size:48px">%s</p>')
                pages = Markup('<div style="page-break-after: always"></div>').join(page % word for word in words)
                body = Markup('<html><head><meta charset="utf-8"/></head><body>%s</body></html>') % pages
                pdf = self.env["ir.actions.report"]._run_wkhtmltopdf([body])
                ink = self._ink(pdf)
                self.assertEqual(len(ink), len(words))
                blank = [word for word, dark in zip(words, ink, strict=True) if not dark]
                self.assertFalse(blank, f"printed as blanks in {lang}")
