"""Server-drawn SVG charts of the session report: score histogram, box plots per unit, mastery heat map.

Written by hand rather than with a charting library: we need three plain chart kinds whose text is Chinese
and which must look the same in the browser and in the PDF (svglib reads these SVGs into ReportLab, so they
use only what svglib understands: rect, line, text, no CSS classes, no scripts). pygal loads its tooltips'
script from another host by default and has no heat map; matplotlib would add a large dependency and turn
the Chinese labels into glyph outlines. Every string is escaped; the SVGs carry a <title> for screen readers.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

FONT = "CJK, WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
AXIS = "#555555"
GRID = "#dddddd"
BAR = "#2f6f9f"
MARK_LINE = "#c0392b"
TEXT = "#222222"


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _text(x, y, content, *, size=12, anchor="start", fill=TEXT, weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{_attr(FONT)}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}" font-weight="{weight}">{escape(str(content))}</text>')


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title)}">'
            f"<title>{escape(title)}</title>"
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>")


def _nice_step(span: float, target: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 10 ** -len(str(int(1 / raw)))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"


def histogram(bins: list[dict], *, pass_mark: float, max_mark: float, title: str, pass_label: str,
              x_label: str, y_label: str, width: int = 720, height: int = 300) -> str:
    left, right, top, bottom = 56, 16, 34, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([b["count"] for b in bins] or [0]) or 1
    y_step = max(1, _nice_step(peak))
    y_max = y_step * -(-peak // y_step)
    body = [_text(left, 20, title, size=14, weight="bold")]
    ticks = int(y_max // y_step)
    for i in range(ticks + 1):
        value = i * y_step
        y = top + plot_h - plot_h * value / y_max
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, _number(value), size=11, anchor="end", fill=AXIS))
    scale = plot_w / max_mark if max_mark else 0
    for b in bins:
        if not b["count"]:
            continue
        x = left + b["from"] * scale
        w = max(1.0, (b["to"] - b["from"]) * scale - 2)
        h = plot_h * b["count"] / y_max
        body.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="{BAR}"><title>{escape(_number(b["from"]))}–{escape(_number(b["to"]))}: '
                    f'{b["count"]}</title></rect>')
        body.append(_text(x + 1 + w / 2, top + plot_h - h - 3, b["count"], size=10, anchor="middle", fill=AXIS))
    x_step = _nice_step(max_mark, 10)
    value = 0.0
    while value <= max_mark + 1e-9:
        x = left + value * scale
        body.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="{AXIS}"/>')
        body.append(_text(x, top + plot_h + 16, _number(value), size=11, anchor="middle", fill=AXIS))
        value += x_step
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    if max_mark:
        x = left + pass_mark * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{MARK_LINE}" '
                    f'stroke-width="2" stroke-dasharray="6,4"/>')
        body.append(_text(x + 4, top + 8, f"{pass_label} {_number(pass_mark)}", size=11, fill=MARK_LINE))
    body.append(_text(left + plot_w / 2, height - 8, x_label, size=11, anchor="middle", fill=AXIS))
    body.append(_text(12, top + plot_h / 2, y_label, size=11, anchor="middle", fill=AXIS).replace(
        "<text ", f'<text transform="rotate(-90 12 {top + plot_h / 2:.1f})" ', 1))
    return _svg(width, height, title, body)


def box_plots(groups: list[dict], *, max_mark: float, pass_mark: float, title: str, pass_label: str,
              width: int = 720, row_height: int = 26) -> str:
    """One horizontal box (lower quartile to upper quartile, median line, whiskers to min and max, a dot at
    the mean) per group: {"name", "box": [min, q1, median, q3, max] or None, "mean"}."""
    label_w, right, top = 150, 20, 40
    plot_w = width - label_w - right
    height = top + row_height * max(1, len(groups)) + 30
    scale = plot_w / max_mark if max_mark else 0
    body = [_text(8, 20, title, size=14, weight="bold")]
    x_step = _nice_step(max_mark, 10)
    value = 0.0
    bottom_axis = top + row_height * max(1, len(groups))
    while value <= max_mark + 1e-9:
        x = label_w + value * scale
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom_axis}" stroke="{GRID}"/>')
        body.append(_text(x, bottom_axis + 16, _number(value), size=11, anchor="middle", fill=AXIS))
        value += x_step
    for index, group in enumerate(groups):
        y = top + index * row_height + row_height / 2
        name = group["name"] if len(group["name"]) <= 11 else group["name"][:10] + "…"
        body.append(_text(label_w - 8, y + 4, name, size=11, anchor="end"))
        box = group.get("box")
        if not box:
            body.append(_text(label_w + 4, y + 4, "—", size=11, fill=AXIS))
            continue
        low, q1, med, q3, high = (label_w + v * scale for v in box)
        half = row_height * 0.3
        body.append(f'<line x1="{low:.1f}" y1="{y:.1f}" x2="{q1:.1f}" y2="{y:.1f}" stroke="{AXIS}"/>')
        body.append(f'<line x1="{q3:.1f}" y1="{y:.1f}" x2="{high:.1f}" y2="{y:.1f}" stroke="{AXIS}"/>')
        for x in (low, high):
            body.append(f'<line x1="{x:.1f}" y1="{y - half / 2:.1f}" x2="{x:.1f}" y2="{y + half / 2:.1f}" '
                        f'stroke="{AXIS}"/>')
        body.append(f'<rect x="{q1:.1f}" y="{y - half:.1f}" width="{max(1.0, q3 - q1):.1f}" height="{2 * half:.1f}" '
                    f'fill="#cfe3f3" stroke="{BAR}"><title>{escape(group["name"])}: '
                    f'{" / ".join(_number(v) for v in box)}</title></rect>')
        body.append(f'<line x1="{med:.1f}" y1="{y - half:.1f}" x2="{med:.1f}" y2="{y + half:.1f}" stroke="{BAR}" '
                    f'stroke-width="2"/>')
        if group.get("mean") is not None:
            body.append(f'<circle cx="{label_w + group["mean"] * scale:.1f}" cy="{y:.1f}" r="3" fill="{TEXT}"/>')
    if max_mark:
        x = label_w + pass_mark * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom_axis}" stroke="{MARK_LINE}" '
                    f'stroke-width="2" stroke-dasharray="6,4"/>')
        body.append(_text(x + 4, top - 8, f"{pass_label} {_number(pass_mark)}", size=11, fill=MARK_LINE))
    return _svg(width, height, title, body)


def _mastery_colour(value: float) -> str:
    """Red (0 %) through amber (60 %) to green (100 %)."""
    value = max(0.0, min(1.0, value))
    if value < 0.6:
        t = value / 0.6
        start, end = (214, 69, 65), (245, 176, 65)
    else:
        t = (value - 0.6) / 0.4
        start, end = (245, 176, 65), (39, 174, 96)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_map(*, rows: list[str], columns: list[str], values: list[list[float | None]], title: str,
             cell_w: int = 84, cell_h: int = 24) -> str:
    label_w, top = 150, 74
    width = label_w + cell_w * max(1, len(columns)) + 16
    height = top + cell_h * max(1, len(rows)) + 12
    body = [_text(8, 20, title, size=14, weight="bold")]
    for j, column in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        lines = [column[i:i + 6] for i in range(0, min(len(column), 12), 6)] or [""]
        for k, line in enumerate(lines):
            body.append(_text(x, top - 26 + k * 14, line, size=11, anchor="middle"))
    for i, row in enumerate(rows):
        y = top + i * cell_h
        name = row if len(row) <= 11 else row[:10] + "…"
        body.append(_text(label_w - 8, y + cell_h / 2 + 4, name, size=11, anchor="end"))
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            fill = _mastery_colour(value) if value is not None else "#f2f2f2"
            label = f"{value * 100:.0f}%" if value is not None else "—"
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}">'
                        f"<title>{escape(row)} · {escape(columns[j])}: {label}</title></rect>")
            body.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, label, size=11, anchor="middle",
                              fill="#ffffff" if value is not None and (value < 0.35 or value > 0.85) else TEXT))
    return _svg(width, height, title, body)
