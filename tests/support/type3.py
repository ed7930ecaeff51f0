"""A one-page PDF in a Type3 font, its heading drawn as fake bold, written byte by byte.

reportlab writes no Type3 fonts, so the file is built here: a Type3 font whose glyphs are
filled boxes (a different box per code, so ink boxes differ as in real Type3 fonts), a
ToUnicode CMap for the Chinese text, and the heading drawn twice, the copy shifted.

``variant`` is how the text is set, as Type3 producers do it:
- ``tf``: the size in ``Tf`` (``/T3 16 Tf``);
- ``tm``: size 1 in ``Tf`` and the size in the text matrix (``16 0 0 16 x y Tm``);
- ``cm``: a page scale ``cm`` (0.75) and the size divided by it in ``Tf``;
- ``glyphs``: each glyph in its own text object, drawn twice before the next.
``unit``: glyph-space units per em (the FontMatrix is 1/unit): 1000, or 1, or 2048.
"""

from __future__ import annotations

from pathlib import Path

HEADING = "一、加快建设现代化产业体系"
BODY = "全年地区生产总值增长百分之五。"


def fake_bold(path: Path, variant: str = "tf", offset: float = 0.3, unit: float = 1000) -> tuple[str, str]:
    """Write the PDF; return (heading, body) as a faithful reader gives them back."""
    codes = {ch: k + 1 for k, ch in enumerate(sorted(set(HEADING + BODY)))}
    objs: list[bytes] = []

    def add(obj: str | bytes) -> int:
        objs.append(obj.encode("latin-1") if isinstance(obj, str) else obj)
        return len(objs)

    def stream(data: bytes) -> int:
        return add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")

    k = unit / 1000
    procs = {c: stream(f"{unit:g} 0 d0\n{(50 + 10 * c) * k:g} 0 {(800 - 5 * c) * k:g} {(700 + 3 * c) * k:g} re f".encode())
             for c in codes.values()}
    pairs = "\n".join(f"<{c:02X}> <{ord(ch):04X}>" for ch, c in codes.items())
    tounicode = stream(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /T3U def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end".encode()
    )
    n = len(codes)
    font = add(
        f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 {unit:g} {unit:g}] "
        f"/FontMatrix [{1 / unit:g} 0 0 {1 / unit:g} 0 0] "
        f"/CharProcs << {' '.join(f'/g{c} {procs[c]} 0 R' for c in range(1, n + 1))} >> "
        f"/Encoding << /Type /Encoding /Differences [1 {' '.join(f'/g{c}' for c in range(1, n + 1))}] >> "
        f"/FirstChar 1 /LastChar {n} /Widths [{' '.join(f'{unit:g}' for _ in range(n))}] "
        f"/Resources << >> /ToUnicode {tounicode} 0 R >>"
    )

    def text(s: str, x: float, y: float, size: float) -> str:
        hexes = "".join(f"{codes[ch]:02X}" for ch in s)
        if variant == "tm":
            return f"BT /T3 1 Tf {size:g} 0 0 {size:g} {x:g} {y:g} Tm <{hexes}> Tj ET"
        if variant == "cm":
            return f"BT /T3 {size / 0.75:.4f} Tf 1 0 0 1 {x / 0.75:.4f} {y / 0.75:.4f} Tm <{hexes}> Tj ET"
        return f"BT /T3 {size:g} Tf 1 0 0 1 {x:g} {y:g} Tm <{hexes}> Tj ET"

    parts = ["q 0.75 0 0 0.75 0 0 cm"] if variant == "cm" else []
    if variant == "glyphs":
        parts += [text(ch, 72 + 16 * i + dx, 760, 16) for i, ch in enumerate(HEADING) for dx in (0.0, offset)]
    else:
        parts += [text(HEADING, 72 + dx, 760, 16) for dx in (0.0, offset)]
    parts.append(text(BODY, 72, 705, 12))
    if variant == "cm":
        parts.append("Q")
    contents = stream("\n".join(parts).encode())
    pages = len(objs) + 2
    page = add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] "
               f"/Resources << /Font << /T3 {font} 0 R >> >> /Contents {contents} 0 R >>")
    add(f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    root = add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, xref)
    path.write_bytes(bytes(out))
    return HEADING, BODY
