"""The text of WordprocessingML elements as a reader sees it: a paragraph's runs with tabs and line breaks.

Used by the Word importer (any document) and by :mod:`app.ownfiles` (the fields our own export prints)."""
from __future__ import annotations

# tag -> local name of every tag met so far (the same few tags occur millions of times in a long document); a
# reader walking many elements may look a tag up here directly and call :func:`local` only when it is missing
LOCAL_NAMES: dict = {}


def local(tag) -> str:
    """``{namespace}name`` → ``name`` (cached in :data:`LOCAL_NAMES`)."""
    try:
        return LOCAL_NAMES[tag]
    except KeyError:
        name = LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        return name


def para_text(p) -> str:
    """A paragraph's (``w:p``) text: ``w:t`` text, a tab inside a run as ``\\t``, ``w:br``/``w:cr`` as a line
    break."""
    parts = []
    names = LOCAL_NAMES
    for el in p.iter("{*}t", "{*}tab", "{*}br", "{*}cr"):
        name = names.get(el.tag) or local(el.tag)
        if name == "t":
            text = el.text
            if text:
                parts.append(text)
        elif name == "tab":
            parts.append("\t" if local(el.getparent().tag) == "r" else "")
        elif name in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)
