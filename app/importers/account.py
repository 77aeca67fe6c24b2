"""The account of an import: where every character of the source's text went.

Every non-blank character the reader took from the source ends in exactly one place — a field of the report
(title, organ, opening, a section, contact, closing, a table) — or in a list of what was left out as page
furniture (page numbers, running headers and footers, website chrome, markup), or in a list of text that went
nowhere (shown to the clerk in full). Joins of broken lines and moves (a contact line out of 六, the closing out
of 六) are listed too. ``balanced()`` says whether the characters add up; the summary is what the clerk reads
after an import ("已略去：页码 3 处、页眉 2 处；已合并断行 1 处 …").

Kept on the report as ``report.extra["import_account"]`` (a plain dict, see :meth:`Account.as_dict`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# place keys -> how the clerk calls them
PLACE_NAMES = {"title": "标题", "organ": "机关名称", "opening": "开头段落", "heading": "各部分标题",
               "table": "表格", "contact": "联系方式", "closing": "落款（机关名称和日期）",
               "s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}
NARRATIVE = ("opening", "s1", "s5", "s6")  # places whose text is a report field as it stands


def chars(text: str) -> int:
    """Characters that count: everything but blanks (spaces, tabs, line breaks, ideographic spaces)."""
    return len("".join((text or "").split()))  # str.split() splits at exactly the characters isspace() names


@dataclass
class Account:
    source: int = 0  # non-blank characters read from the source
    placed: Counter = field(default_factory=Counter)  # place -> characters
    pieces: dict[str, list[str]] = field(default_factory=dict)  # narrative place -> its source texts, in order
    furniture: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): 页码, 页眉, 页脚, 网页栏目, 标记
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (where, text): text that went nowhere
    joins: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)

    def read(self, text: str) -> int:
        """Count the text as read from the source; its characters that count."""
        n = chars(text)
        self.source += n
        return n

    def place(self, where: str, text: str, n: int | None = None) -> None:
        """``n``: ``chars(text)``, when the caller has it already."""
        self.placed[where] += chars(text) if n is None else n
        if where in NARRATIVE:
            self.pieces.setdefault(where, []).append(text)

    def drop(self, kind: str, text: str) -> None:
        if chars(text):
            self.furniture.append((kind, text.strip()))

    def leave(self, where: str, text: str) -> None:
        if chars(text):
            self.left_out.append((where, text.strip()))

    def join(self, what: str) -> None:
        self.joins.append(what)

    def move(self, what: str) -> None:
        self.moves.append(what)

    # -- sums ------------------------------------------------------------------------------------------------
    def accounted(self) -> int:
        return (sum(self.placed.values()) + sum(chars(t) for _, t in self.furniture)
                + sum(chars(t) for _, t in self.left_out))

    def balanced(self) -> bool:
        return self.accounted() == self.source

    def summary(self) -> str:
        parts = []
        kinds = Counter(k for k, _ in self.furniture)
        if kinds:
            parts.append("已略去：" + "、".join(f"{k} {n} 处" for k, n in kinds.items()))
        if self.joins:
            parts.append(f"已合并断行 {len(self.joins)} 处")
        if self.moves:
            parts.append("已从正文移出：" + "、".join(self.moves))
        if self.left_out:
            parts.append(f"未归入任何部分的文字 {len(self.left_out)} 段（" +
                         "；".join(_short(t) for _, t in self.left_out[:3]) + ("…" if len(self.left_out) > 3 else "")
                         + "），请核对是否需要")
        if not self.balanced():
            parts.append(f"注意：原文 {self.source} 字，已归位 {self.accounted()} 字，不相符")
        return "；".join(parts) + ("。" if parts else "")

    def details(self) -> list[str]:
        """Every item, one line each (``nianbao import`` prints them)."""
        out = [f"略去{k}：{_short(t, 40)}" for k, t in self.furniture]
        out += [f"合并断行：{j}" for j in self.joins]
        out += [f"从正文移出：{m}" for m in self.moves]
        out += [f"未归入（{w}）：{_short(t, 60)}" for w, t in self.left_out]
        return out

    def as_dict(self, pieces: bool = False) -> dict:
        """Plain data; ``pieces`` adds the narrative's source texts (for the reading worker's reply, not for
        the project file, which holds the narrative once)."""
        out = {"source_chars": self.source, "placed": dict(self.placed),
               "furniture": [list(x) for x in self.furniture], "left_out": [list(x) for x in self.left_out],
               "joins": list(self.joins), "moves": list(self.moves), "summary": self.summary()}
        if pieces:
            out["pieces"] = {k: list(v) for k, v in self.pieces.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Account":
        """The account :meth:`as_dict` gave (with ``pieces`` when it was asked for)."""
        return cls(source=int(data.get("source_chars", 0)), placed=Counter(data.get("placed", {})),
                   pieces={str(k): [str(t) for t in v] for k, v in data.get("pieces", {}).items()},
                   furniture=[(str(k), str(t)) for k, t in data.get("furniture", [])],
                   left_out=[(str(w), str(t)) for w, t in data.get("left_out", [])],
                   joins=[str(j) for j in data.get("joins", [])], moves=[str(m) for m in data.get("moves", [])])

    @classmethod
    def of(cls, report) -> "Account | None":
        """The account of an imported report: the live one, or the one kept in ``extra`` (a report read in the
        worker process, or from a project file, carries only that)."""
        live = getattr(report, "import_account", None)
        if isinstance(live, cls):
            return live
        d = report.extra.get("import_account")
        if not isinstance(d, dict):
            return None
        try:
            return cls.from_dict(d)
        except (TypeError, ValueError, AttributeError):  # a project file edited by hand: no account, no crash
            return None


def _short(text: str, n: int = 20) -> str:
    t = " ".join(text.split())
    return f"“{t}”" if len(t) <= n else f"“{t[:n]}…”"


def check(report, account: Account) -> list[str]:
    """Where the account and the report disagree: a narrative field that is not exactly the text placed in it
    (blanks aside), or characters that do not add up. Empty when the import is whole."""
    problems = []
    if not account.balanced():
        problems.append(f"原文 {account.source} 字，归位 {account.accounted()} 字")
    fields = {"opening": report.meta.opening, **{s: report.sections.get(s, "") for s in ("s1", "s5", "s6")}}
    for where, text in fields.items():
        got = "".join((text or "").split())
        want = "".join("".join(account.pieces.get(where, [])).split())
        if got != want:
            problems.append(f"{PLACE_NAMES[where]}：报告中 {len(got)} 字，原文归入 {len(want)} 字")
    return problems
