"""Short hypothesis fuzz runs of the project-file loader and the rules, each input within a time/memory budget
(``targets.budgeted``). The atheris driver (fuzz_importers.py) runs the same target for long runs."""
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import load_format
from conftest import FIXTURES
from fuzz.targets import run

FMT = load_format()
CELLS = sorted(FMT.cells)
SECTIONS = sorted(FMT.text_sections)
# NIANBAO_FUZZ_EXAMPLES=2000 for a longer run
QUICK = settings(max_examples=int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "80")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# number tokens as another tool might write them (inserted raw into the JSON text)
NUMBERS = st.sampled_from(["0", "1", "-1", "3.0", "0.1250", "0.12345", "1e3", "1E+5", "1e999999999", "-1e999999999",
                           "5e-999999999", "1.5e-7", "9" * 21, "9" * 5000, "1" * 100_000, "Infinity", "-Infinity",
                           "NaN", "1e308", "2e308", "0.0000001", "18446744073709551616", "-0", "0e0"])
TEXTS = st.one_of(st.text(max_size=30), st.sampled_from(["/", "不适用", "３件", "1,000", "—", "²", "\ud800", "1e5",
                                                         "Infinity", "0x1F", "七", "9" * 30, "2019年", "\x1b[31m"]))
SECTION_TEXT = st.one_of(st.text(max_size=200), st.sampled_from([
    "2019年收到申请3件。" * 3000, "《2017年规定》" * 5000, "全年收到申请" + "9" * 50_000 + "件",
    "２０１９年" * 20_000, " " * 100_000 + "2020年", "\n" * 50_000 + "2021年度，我局"]))


TEXTS = st.one_of(TEXTS, st.sampled_from(['"\\ud800"', '"a\\u0000b"', '"\\u001b[2J"']).map(lambda t: ("RAW", t)))


def _value():
    return st.one_of(st.none(), st.booleans(), NUMBERS.map(lambda t: ("RAW", t)), TEXTS,
                     st.lists(st.integers(), max_size=2),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _dump(obj) -> str:
    """JSON with ("RAW", token) pairs written as the bare token (numbers Python's json would not write)."""
    if isinstance(obj, tuple) and len(obj) == 2 and obj[0] == "RAW":
        return obj[1]
    if isinstance(obj, dict):
        return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + _dump(v) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_dump(v) for v in obj) + "]"
    return json.dumps(obj, ensure_ascii=False)


@QUICK
@given(values=st.dictionaries(st.sampled_from(CELLS + ["t9.bogus", ""]), _value(), max_size=12),
       year=st.one_of(st.none(), st.integers(1900, 2100), NUMBERS.map(lambda t: ("RAW", t)), TEXTS),
       sections=st.dictionaries(st.sampled_from(SECTIONS), SECTION_TEXT, max_size=3),
       extra=st.dictionaries(st.sampled_from(["x-tool", "review", "sources", "schema", "previous", "origin_format"]),
                             _value(), max_size=3),
       organ=TEXTS)
def test_fuzz_project_structure(values, year, sections, extra, organ):
    data = {"format": "gov-2021", "meta": {"organ": organ, "year": year}, "values": values, "sections": sections}
    data.update(extra)
    run(".nianbao", _dump(data).encode("utf-8", errors="surrogatepass"))


_FIXTURE = (FIXTURES / "wuzhong-minzheng-2023.nianbao").read_bytes()


@QUICK
@given(st.lists(st.tuples(st.integers(0, len(_FIXTURE)), st.integers(0, 40),
                          st.sampled_from([b"", b"1e999999999", b"9" * 5000, b"NaN", b"[", b"{", b"}", b'"', b"\\u",
                                           b"\\ud800", b",", b":", b"-", b"\xff", b"\x00", b"null", b"[" * 5000])),
                max_size=6))
def test_fuzz_project_bytes(edits):
    data = _FIXTURE
    for pos, length, piece in edits:
        data = data[:pos] + piece + data[pos + length:]
    run(".nianbao", data)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 200_000), st.sampled_from(["[", '{"a":', "[{\"b\": "]))
def test_fuzz_project_nesting(depth, opener):
    run(".nianbao", ('{"format": "gov-2021", "x-tool": ' + opener * depth).encode())


def test_atheris_driver_runs_its_seeds(tmp_path):
    """The long-run driver stays usable: its seeds cover every kind and each passes the target within budget."""
    from fuzz import fuzz_importers
    from fuzz.targets import KINDS
    fuzz_importers.make_seeds(tmp_path)
    seeds = sorted(tmp_path.iterdir())
    assert {KINDS[p.read_bytes()[0] % len(KINDS)] for p in seeds} == set(KINDS)
    for p in seeds:
        fuzz_importers.one_input(p.read_bytes())
