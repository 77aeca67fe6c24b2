"""Local rule packs: the requirements a province or city adds to the national format, as a JSON file.

::

    {"name": "某市2025年度报告补充要求",
     "rules": [
       {"id": "LOCAL.S1_LENGTH", "severity": "warning", "type": "max_chars", "section": "s1", "max": 1000,
        "hint": "总体情况篇幅原则上不超过一千字。"},
       {"id": "LOCAL.ZHUANQU", "severity": "warning", "type": "must_mention", "section": "s1",
        "phrases": ["政务公开专区"], "hint": "平台建设情况应写明政务公开专区的数量。"}],
     "overrides": {"META.DEADLINE": {"special": [{"organ_pattern": "(乡|镇)人民政府$",
                                                  "deadline": [1, 20, "本市通知：乡镇于1月20日前公布"]}]}}}

Rule types: ``max_chars`` (a section longer than ``max`` characters, blanks not counted) and ``must_mention``
(a section contains none of ``phrases``; with ``"with_count": true`` none of them with a count beside it, as
notices ask for the number of 政务公开专区); either may name ``section`` or ``sections`` and an ``organ_pattern``
(only organs whose name matches). ``overrides`` change settings of the format's own rules; today the deadline
rule's ``default`` and ``special`` (条例第四十九条 sets 1月31日 and 3月31日; local notices set the rest).

:func:`load_pack` validates everything before a pack is used and says in Chinese what is wrong and where; the
pack's rules run beside the format's in :func:`app.rules.check` while the pack is active (:func:`activate`,
``nianbao check --rules PACK.json``, the window's 设置 → 规则包).
"""
from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .formats import Format, load_format

MAX_PACK_BYTES = 1_000_000  # a pack is a few kilobytes
MAX_PACK_RULES = 500
TYPES = {"max_chars": "篇幅上限", "must_mention": "必须写到的内容"}
SEVERITIES = {"warning": "warning", "error": "error", "提醒": "warning", "错误": "error"}
_COMMON_KEYS = {"id", "severity", "type", "section", "sections", "hint", "organ_pattern", "name"}
_KEYS = {"max_chars": _COMMON_KEYS | {"max"}, "must_mention": _COMMON_KEYS | {"phrases", "with_count"}}
OVERRIDABLE = {"deadline": {"default", "special"}}  # rule type -> settings a pack may change


class PackError(ValueError):
    """A rule pack that cannot be used; the message (Chinese) names the file and what is wrong."""


@dataclass
class RulePack:
    name: str
    rules: list[dict] = field(default_factory=list)
    overrides: dict[str, dict] = field(default_factory=dict)  # format rule id -> settings replacing its own
    path: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "path": self.path, "rules": [r["id"] for r in self.rules],
                "overrides": sorted(self.overrides)}


def load_pack(path, fmt: Format | None = None) -> RulePack:
    p = Path(path)
    where = f"规则包“{p}”"
    try:
        if not p.is_file():
            raise PackError(f"{where}不存在或不是文件。")
        size = p.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError(f"{where}过大（{size // 1024} KB），规则包最多 {MAX_PACK_BYTES // 1000} KB。")
        raw = p.read_bytes()
    except OSError as e:
        raise PackError(f"{where}无法读取：{e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackError(f"{where}不是 UTF-8 编码的文本文件。") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise PackError(f"{where}不是有效的 JSON：第 {e.lineno} 行第 {e.colno} "
                        f"列附近有错误（{_json_reason(e.msg)}）。") \
            from None
    except RecursionError:
        raise PackError(f"{where}嵌套层数过多。") from None
    except PackError as e:
        raise PackError(f"{where}{e}") from None
    pack = parse_pack(data, fmt, where)
    pack.path = str(p)
    return pack


def _no_constant(name):
    raise PackError(f"中含有 JSON 不允许的数值“{name}”。")


def _json_reason(msg: str) -> str:
    return {"Expecting value": "缺少值", "Expecting ',' delimiter": "缺少逗号",
            "Expecting property name enclosed in double quotes": "键名须用英文双引号",
            "Unterminated string starting at": "字符串没有结束", "Extra data": "多余的内容",
            "Expecting ':' delimiter": "缺少冒号", "Invalid control character at": "字符串中有控制字符"}.get(msg, msg)


def parse_pack(data, fmt: Format | None = None, where: str = "规则包") -> RulePack:
    fmt = fmt or load_format()
    if not isinstance(data, dict):
        raise PackError(f"{where}的内容应是一个 JSON 对象（{{\"name\": …, \"rules\": […]}}）。")
    unknown = sorted(set(data) - {"name", "rules", "overrides", "_comment", "comment", "version"})
    if unknown:
        raise PackError(f"{where}中有不认识的项：{'、'.join(unknown)}（可用：name、rules、overrides）。")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PackError(f"{where}缺少名称（\"name\"：规则包的中文名称）。")
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise PackError(f"{where}的 \"rules\" 应是规则的列表。")
    if len(rules) > MAX_PACK_RULES:
        raise PackError(f"{where}的规则过多（{len(rules)} 条，最多 {MAX_PACK_RULES} 条）。")
    if not rules and not data.get("overrides"):
        raise PackError(f"{where}中没有任何规则。")
    taken = {r["id"] for r in fmt.rules}
    seen: set[str] = set()
    out = []
    for k, rule in enumerate(rules, start=1):
        out.append(_rule(rule, k, fmt, where, taken, seen))
    overrides = _overrides(data.get("overrides", {}), fmt, where)
    return RulePack(name.strip(), out, overrides)


def _rule(rule, k: int, fmt: Format, where: str, taken: set, seen: set) -> dict:
    at = f"{where}第 {k} 条规则"
    if not isinstance(rule, dict):
        raise PackError(f"{at}应是一个 JSON 对象。")
    rid = rule.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}", rid):
        raise PackError(f"{at}缺少编号或编号不合规（\"id\"：字母开头，只含字母、数字、点、下划线，如 "
                        "LOCAL.S1_LENGTH）。")
    at = f"{where}第 {k} 条规则（{rid}）"
    if rid in taken:
        raise PackError(f"{at}的编号与格式自带的规则重名，请换一个（如加前缀 LOCAL.）。")
    if rid in seen:
        raise PackError(f"{at}的编号在规则包中重复出现。")
    seen.add(rid)
    kind = rule.get("type")
    if kind not in TYPES:
        raise PackError(f"{at}的类型“{kind}”不认识；可用的类型："
                        + "、".join(f"{t}（{n}）" for t, n in TYPES.items()) + "。")
    unknown = sorted(set(rule) - _KEYS[kind])
    if unknown:
        raise PackError(f"{at}中有不认识的项：{'、'.join(unknown)}（{kind} 可用：{'、'.join(sorted(_KEYS[kind]))}）。")
    severity = SEVERITIES.get(rule.get("severity", "warning"))
    if severity is None:
        raise PackError(f"{at}的级别“{rule.get('severity')}”不认识；应为 warning（提醒）或 error（错误）。")
    sections = rule.get("sections", [rule["section"]] if "section" in rule else None)
    texts = {sid: fmt.section(sid)["heading"] for sid in fmt.text_sections}
    if not isinstance(sections, list) or not sections or any(s not in texts for s in sections):
        raise PackError(f"{at}须用 \"section\" 指明检查哪一部分："
                        + "、".join(f"{sid}（{h}）" for sid, h in texts.items()) + "。")
    hint = rule.get("hint", "")
    if not isinstance(hint, str):
        raise PackError(f"{at}的说明（\"hint\"）应是文字。")
    out = {"id": rid, "severity": severity, "type": kind, "sections": list(sections), "hint": hint,
           "pack": True}
    if "name" in rule:
        if not isinstance(rule["name"], str):
            raise PackError(f"{at}的名称（\"name\"）应是文字。")
        out["name"] = rule["name"]
    if "organ_pattern" in rule:
        pat = rule["organ_pattern"]
        try:
            if not isinstance(pat, str) or len(pat) > 200:
                raise re.error("")
            re.compile(pat)
        except re.error:
            raise PackError(f"{at}的机关名称模式（\"organ_pattern\"）不是有效的正则表达式。") from None
        out["organ_pattern"] = pat
    if kind == "max_chars":
        mx = rule.get("max")
        if not isinstance(mx, int) or isinstance(mx, bool) or mx <= 0:
            raise PackError(f"{at}须用 \"max\" 给出字数上限（正整数，如 1000）。")
        out["max"] = mx
    else:
        phrases = rule.get("phrases")
        if (not isinstance(phrases, list) or not phrases
                or any(not isinstance(p, str) or not p.strip() for p in phrases)):
            raise PackError(f"{at}须用 \"phrases\" 列出要写到的词语（至少一个，如 [\"政务公开专区\"]）。")
        out["phrases"] = [p.strip() for p in phrases]
        if "with_count" in rule:
            if not isinstance(rule["with_count"], bool):
                raise PackError(f"{at}的 \"with_count\" 应为 true 或 false（true：须写明数量，如“政务公开专区12个”）。")
            out["with_count"] = rule["with_count"]
    return out


def _overrides(data, fmt: Format, where: str) -> dict[str, dict]:
    if not isinstance(data, dict):
        raise PackError(f"{where}的 \"overrides\" 应是一个 JSON 对象（规则编号 → 要改的设置）。")
    out = {}
    for rid, settings in data.items():
        rule = next((r for r in fmt.rules if r["id"] == rid), None)
        allowed = OVERRIDABLE.get(rule["type"]) if rule else None
        if not allowed:
            can = "、".join(r["id"] for r in fmt.rules if r["type"] in OVERRIDABLE)
            raise PackError(f"{where}要修改的规则“{rid}”不能由规则包修改（可修改：{can}）。")
        if not isinstance(settings, dict) or not settings or set(settings) - allowed:
            raise PackError(f"{where}对 {rid} 的修改只能包含：{'、'.join(sorted(allowed))}。")
        if "default" in settings:
            settings = {**settings, "default": _deadline(settings["default"], f"{where}对 {rid} 的 default")}
        if "special" in settings:
            sp = settings["special"]
            if not isinstance(sp, list):
                raise PackError(f"{where}对 {rid} 的 special 应是列表。")
            checked = []
            for i, item in enumerate(sp, start=1):
                at = f"{where}对 {rid} 的 special 第 {i} 项"
                if not isinstance(item, dict) or set(item) != {"organ_pattern", "deadline"}:
                    raise PackError(f"{at}应为 {{\"organ_pattern\": 机关名称的正则表达式, \"deadline\": [月, "
                                    "日, 说明]}}。")
                try:
                    re.compile(item["organ_pattern"])
                except (re.error, TypeError):
                    raise PackError(f"{at}的 organ_pattern 不是有效的正则表达式。") from None
                checked.append({"organ_pattern": item["organ_pattern"], "deadline": _deadline(item["deadline"], at)})
            settings = {**settings, "special": checked}
        out[rid] = settings
    return out


def _deadline(value, at: str) -> list:
    import datetime as dt
    ok = (isinstance(value, list) and len(value) == 3 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                for v in value[:2]) and isinstance(value[2], str))
    if ok:
        try:
            dt.date(2001, value[0], value[1])  # a year that is not a leap year: 2月29日 is refused
        except ValueError:
            ok = False
    if not ok:
        raise PackError(f"{at}应为 [月, 日, 说明]，如 [1, 31, \"本市通知：部门于次年1月31日前公布\"]。")
    return list(value)


# --------------------------------------------------------------------------------------------
# the active pack: its rules run in every check of this process (command line, window, exports)

_ACTIVE: list[RulePack] = []


def active() -> RulePack | None:
    return _ACTIVE[-1] if _ACTIVE else None


def activate(pack: RulePack | None) -> None:
    """Make ``pack`` the pack every :func:`app.rules.check` of this process uses (None: no pack)."""
    _ACTIVE.clear()
    if pack is not None:
        _ACTIVE.append(pack)


@contextmanager
def using(pack: RulePack | None):
    """The pack active within the block only (tests, one command)."""
    saved = list(_ACTIVE)
    activate(pack)
    try:
        yield pack
    finally:
        _ACTIVE[:] = saved


def rules_with(fmt: Format, pack: RulePack | None) -> list[dict]:
    """The format's rules with the pack's settings applied, then the pack's own rules."""
    if pack is None:
        return fmt.rules
    out = [{**r, **pack.overrides[r["id"]]} if r["id"] in pack.overrides else r for r in fmt.rules]
    return out + pack.rules


# --------------------------------------------------------------------------------------------
# the pack's rule types

def _chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text or ""))


_COUNT = r"[0-9０-９]+|[〇零一二两三四五六七八九十百千]+"


def _counted(text: str, phrase: str) -> bool:
    """The phrase with a count beside it in the same clause: 政务公开专区12个, 建成12个政务公开专区, 编印政府公报4期."""
    p = re.escape(phrase)
    return re.search(f"{p}[^。；;，,！？\\n]{{0,12}}?(?:{_COUNT})(?![0-9０-９年月日])"
                     f"|(?:{_COUNT})[个期处家所件份][^。；;，,！？\\n]{{0,8}}?{p}", text) is not None


def check_rule(fmt: Format, report, rule: dict):
    from .finding import Finding
    organ = report.meta.organ or ""
    if rule.get("organ_pattern") and not re.search(rule["organ_pattern"], organ):
        return []
    out = []
    label = rule.get("name") or rule["id"]
    for sid in rule["sections"]:
        text = report.sections.get(sid, "")
        head = fmt.section(sid)["heading"]
        if not text.strip():
            continue  # empty: META.REQUIRED says so
        if rule["type"] == "max_chars":
            n = _chars(text)
            if n > rule["max"]:
                out.append(Finding(rule["id"], rule["severity"], [sid],
                                   f"{head}共{n}字，超过规则包要求的{rule['max']}字（{label}）。{rule['hint']}",
                                   expected=rule["max"], actual=n))
        elif rule["type"] == "must_mention":
            plain = re.sub(r"\s+", "", text)
            phrases = [re.sub(r"\s+", "", p) for p in rule["phrases"]]
            if rule.get("with_count"):
                if not any(_counted(plain, p) for p in phrases):
                    out.append(Finding(rule["id"], rule["severity"], [sid],
                                       f"{head}中没有写明“{'”或“'.join(rule['phrases'])}”的数量（规则包：{label}）。"
                                       f"{rule['hint']}"))
            elif not any(p in plain for p in phrases):
                out.append(Finding(rule["id"], rule["severity"], [sid],
                                   f"{head}中没有写到“{'”或“'.join(rule['phrases'])}”（规则包：{label}）。"
                                   f"{rule['hint']}"))
    return out
