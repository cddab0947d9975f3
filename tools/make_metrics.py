"""Write docgen/data/tnr_widths.json: advance widths of Times New Roman's metric twin.

Liberation Serif has the metrics of Times New Roman, so its advances let docgen
size the short lines under the agency name, the motto and the summary (Decree 30
asks for lines relative to the text's length). Run once; the output is committed.
Needs fonttools and Debian's fonts-liberation2 (development only).
"""
import json
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path("/usr/share/fonts/truetype/liberation2")
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def charset() -> list[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)} | set("“”‘’–—…")
    for base in LETTERS + LETTERS.upper():
        for tone in TONES:
            chars.add(unicodedata.normalize("NFC", base + tone))
    return sorted(c for c in chars if len(c) == 1)


def main() -> None:
    out = {}
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        upem = font["head"].unitsPerEm
        out[style] = {c: round(hmtx[cmap[ord(c)]][0] * 1000 / upem) for c in charset() if ord(c) in cmap}
    target = Path(__file__).resolve().parent.parent / "docgen" / "data" / "tnr_widths.json"
    target.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
