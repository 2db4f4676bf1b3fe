"""SVG to PNG, server-side, with resvg (through the resvg-py wheel).

Why resvg: it is a maintained, self-contained renderer (Rust, one wheel per platform, no Cairo
or other system library to install), it follows the SVG spec closely (patterns, <use>, nested
<svg>, <style> rules), and it is fast enough to draw a 1200 x 630 map in well under a second.
CairoSVG would need the system Cairo library and renders patterns less faithfully.
Fonts come from the system (DejaVu or Liberation on Debian).
"""
from __future__ import annotations

import resvg_py


def png(svg: str, width: int | None = None) -> bytes:
    """PNG bytes of an SVG document; `width` scales it (the height follows)."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=width,
                                       font_family="Liberation Sans",
                                       sans_serif_family="Liberation Sans"))
