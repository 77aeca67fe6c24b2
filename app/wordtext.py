"""The text of WordprocessingML elements as a reader sees it: a paragraph's runs with tabs and line breaks.

Used by the Word importer (any document) and by :mod:`app.ownfiles` (the fields our own export prints)."""
from __future__ import annotations

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
    apart in two passes over the body: the text nodes that are not the leading text of a ``t`` (an XPath) and the
    tabs and breaks, each marking every paragraph around it for :func:`para_text`. ``markup``: the part has a
    markup declaration (``<!``: DOCTYPE, entity, CDATA or comment), then every paragraph is read by
    :func:`para_text` (an entity reference is no text node)."""

    def __init__(self, body, markup: bool = True):
        from lxml import etree

        self.tostring = etree.tostring
        self.special: set | None = None  # paragraphs read by para_text; None: all of them
        if markup:
            return
        special: set = set()
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


@lru_cache(maxsize=1)
def _loose_text():
    """Every text node that is not the leading text of an element called t (the leading text is ``el.text``)."""
    from lxml import etree
    return etree.XPath("descendant::text()[local-name(..) != 't' or preceding-sibling::node()]")
