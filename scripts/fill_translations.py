"""Fill empty msgstr entries of a .po catalogue from a Python dict file: scripts/fill_translations.py PO DICT.py

The dict file defines T = {msgid: translation}. Existing translations are kept unless the dict has the msgid.
A plural entry is keyed by its singular msgid (or the (singular, plural) tuple); its value is one string, used for
every plural form (Vietnamese has one), or a tuple with one string per form of the catalogue's Plural-Forms."""
import sys

from babel.messages.pofile import read_po, write_po

po_path, dict_path = sys.argv[1], sys.argv[2]
namespace: dict = {}
exec(open(dict_path, encoding="utf-8").read(), namespace)
table = namespace["T"]
with open(po_path, "rb") as fh:
    catalog = read_po(fh)
missing = []
for message in catalog:
    if not message.id:
        continue
    if message.pluralizable:
        value = table.get(message.id, table.get(message.id[0]))
        if value is not None:
            forms = (value,) * catalog.num_plurals if isinstance(value, str) else tuple(value)
            if len(forms) != catalog.num_plurals:
                sys.exit(f"{message.id!r}: {len(forms)} forms given, the catalogue has {catalog.num_plurals}")
            message.string = forms
            message.flags.discard("fuzzy")
        elif not all(message.string or ("",)):
            missing.append(message.id)
    elif message.id in table:
        message.string = table[message.id]
        message.flags.discard("fuzzy")
    elif not message.string:
        missing.append(message.id)
with open(po_path, "wb") as fh:
    write_po(fh, catalog, width=120, sort_output=True, omit_header=False)
print(f"{len(missing)} untranslated")
for m in missing:
    print("  ", repr(m))
