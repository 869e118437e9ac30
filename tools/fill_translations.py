"""Fill a .po catalogue from a {msgid: msgstr} dict in a Python file, then report what is still missing.

Usage: python tools/fill_translations.py PATH/TO/django.po TRANSLATIONS.py [MORE.py ...]
Each file holds a dict named T; later files win. Existing translations are overwritten only when the dict has the msgid.
For a plural entry the value may be a string (Chinese has one plural form) or a {index: text} dict.
"""

import runpy
import sys

import polib


def main(po_path: str, *table_paths: str) -> int:
    table = {}
    for table_path in table_paths:
        table.update(runpy.run_path(table_path)["T"])
    catalogue = polib.pofile(po_path)
    for entry in catalogue:
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {int(k): v for k, v in value.items()} if isinstance(value, dict) else {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(po_path)
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    for msgid in missing:
        print("untranslated:", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
