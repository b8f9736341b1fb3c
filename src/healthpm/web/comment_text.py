"""Comments as light formatting: paragraphs, line breaks, bullet lists, **bold**, *italic*.

Everything is escaped first, so the only markup is what this module adds.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(\S(?:.*?\S)?)\*(?![*\w])")
_BULLET = re.compile(r"^\s*[-*•]\s+")


def _inline(line: str) -> str:
    text = str(escape(line))
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def _block(lines: list[str]) -> str:
    if all(_BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    out: list[str] = []
    para: list[str] = []
    for line in lines:
        if _BULLET.match(line):
            if para:
                out.append("<p>" + "<br>".join(para) + "</p>")
                para = []
            out.append(f"<ul><li>{_inline(_BULLET.sub('', line))}</li></ul>")
        else:
            para.append(_inline(line))
    if para:
        out.append("<p>" + "<br>".join(para) + "</p>")
    return "".join(out).replace("</ul><ul>", "")


def format_comment(text: str) -> Markup:
    """Safe HTML for a comment body; blank lines separate paragraphs or lists."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html = "".join(_block(b.split("\n")) for b in blocks if b.strip())
    return Markup(html)  # noqa: S704 - every piece of user text above went through escape()
