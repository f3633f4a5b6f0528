"""The translation files of the three addons: each entry once, and every placeholder kept.

Translations merge by union (.gitattributes), so two engineers adding strings at once both keep theirs;
this test catches what a union can leave behind: an entry twice, or a translation that lost or renamed a
placeholder (which would raise at run time in the customer's language only).
"""

import os
import re
import unittest

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ("agency_billing", "agency_billing_reminders", "agency_billing_portal")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sdfr]|\{[a-z_0-9]*\}")


def translation_files():
    for addon in ADDONS:
        folder = os.path.join(ROOT, addon, "i18n")
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith((".po", ".pot")):
                    yield addon, os.path.join(folder, name)


class TestTranslationFiles(unittest.TestCase):
    def test_every_entry_once(self):
        for addon, path in translation_files():
            seen = {}
            for entry in polib.pofile(path):
                key = (entry.msgctxt, entry.msgid)
                with self.subTest(file=os.path.relpath(path, ROOT), msgid=entry.msgid[:60]):
                    self.assertNotIn(key, seen, f"{addon}: the same entry twice")
                seen[key] = entry

    def test_placeholders_are_kept(self):
        for _addon, path in translation_files():
            if not path.endswith(".po"):
                continue
            for entry in polib.pofile(path):
                if not entry.msgstr or ("python-format" not in entry.flags and "%" not in entry.msgid):
                    continue
                with self.subTest(file=os.path.relpath(path, ROOT), msgid=entry.msgid[:60]):
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(entry.msgid)),
                        sorted(PLACEHOLDER.findall(entry.msgstr)),
                    )
