"""The text of WordprocessingML elements as a reader sees it: a paragraph's runs with tabs and line breaks.

Used by the Word importer (any document) and by :mod:`app.ownfiles` (the fields our own export prints)."""
from __future__ import annotations

import re
from functools import lru_cache

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


class ParagraphTexts:
    """:func:`para_text` of the paragraphs of one ``w:body``, most of them read by libxml2 in one call.

    A paragraph whose text nodes are all the leading text of its ``w:t`` elements (nothing else carries text in
    it: no field code, no drawing position, no stray text) and that holds no ``w:tab``, ``w:br`` or ``w:cr`` reads
    the same as the concatenation of all its text nodes (``tostring(method="text")``). Such paragraphs are told
    apart in two passes over the body: the text nodes that are not the leading text of a ``t`` (an XPath, unless
    the part's bytes show none: :func:`_only_t_text`) and the tabs and breaks, each marking every paragraph around
    it for :func:`para_text`. A part with a DOCTYPE is read by :func:`para_text` throughout (an entity reference
    is no text node). ``xml``: the part as parsed into ``body``."""

    def __init__(self, body, xml: bytes):
        from lxml import etree

        self.tostring = etree.tostring
        self.special: set | None = None  # paragraphs read by para_text; None: all of them
        info = body.getroottree().docinfo
        if info.doctype:
            return
        special: set = set()
        if not ((info.encoding or "").upper() in ("UTF-8", "UTF8") and _only_t_text(xml)):
            for text in _loose_text()(body):
                _mark_paragraphs(text.getparent(), special)
        for el in body.iter("{*}tab", "{*}br", "{*}cr"):
            _mark_paragraphs(el, special)
        self.special = special

    def __call__(self, p) -> str:
        if self.special is None or p in self.special:
            return para_text(p)
        return self.tostring(p, method="text", encoding=str, with_tail=False)


def _mark_paragraphs(el, special: set) -> None:
    """Add ``el`` and its ancestors that are paragraphs to ``special`` (the element objects stay alive in the set,
    so lxml hands the same objects out again)."""
    while el is not None:
        if (LOCAL_NAMES.get(el.tag) or local(el.tag)) == "p":
            special.add(el)
        el = el.getparent()


def _only_t_text(xml: bytes) -> bool:
    """Is every text node of the (UTF-8) part the leading text of an element called t? Outside CDATA sections
    (the answer is then no) each text node starts right after a ``>`` with a character other than ``<``; when every
    such place in the root element ends a start tag of a t as Word writes it (``<w:t>``, ``<w:t
    xml:space="preserve">``), there is no other text. Whatever else (``>`` inside an attribute value or a text,
    whitespace between tags, another prefix) only makes the answer no. One search for a place that is not a t's
    (a scan in C that stops at the first one) answers it."""
    if b"<![CDATA[" in xml:
        return False
    start = xml.find(b"<")
    while start >= 0 and xml[start + 1:start + 2] == b"?":  # the XML declaration (and any processing instruction)
        start = xml.find(b"<", start + 1)
    if start < 0:
        return False
    return _OTHER_TEXT_START.search(xml, start, len(xml.rstrip())) is None


# a ``>`` followed by a character other than ``<`` (a text starts there), not ending a t's start tag (the tags are
# looked behind only where a text starts: most ``>`` are followed by ``<``)
_OTHER_TEXT_START = re.compile(rb'(?s)>[^<](?<!<w:t>.)(?<!<w:t xml:space="preserve">.)')


@lru_cache(maxsize=1)
def _loose_text():
    """Every text node that is not the leading text of an element called t (the leading text is ``el.text``)."""
    from lxml import etree
    return etree.XPath("descendant::text()[local-name(..) != 't' or preceding-sibling::node()]")
