"""Hostile Word templates: a template is untrusted code. Its render is bounded by a step budget
and by size caps checked before a string is built — no timer thread, no asynchronous exception. Each case runs
in a child process under a 1.5 GB address-space limit (a bound that failed would end in MemoryError, not in the
Chinese refusal this test expects) and a pytest timeout (the test cannot hang)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from docx import Document

from app.export import docx as dx

RUN = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from app import project
from app.export import ExportError
from app.export import docx as dx
report = project.load("tests/fixtures/wuzhong-minzheng-2023.nianbao")
try:
    dx.render_docx(report, sys.argv[1])
    print("RENDERED")
except ExportError as e:
    print("REFUSED", e)
"""

CASES = {
    # today: the separator is itself a join, the result reaches 7.5 GB before anything refuses it
    "nested join": ("{{ text.s1|join(text.s1|join(text.s1|join('xxxxxxxx'))) }}", "文字过长"),
    # today: 17 s until the timer thread's asynchronous exception lands
    "three nested loops": ("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
                           "{{ k }}{% endfor %}{% endfor %}{% endfor %}", "步"),
    "three loops, no output": ("{% for a in text.s1 %}{% for b in text.s1 %}{% for c in text.s1 %}"
                               "{% endfor %}{% endfor %}{% endfor %}", "步"),
    "concatenation in a loop": ("{% for i in range(1000) %}{{ (text.s1 ~ text.s1 ~ text.s1 ~ text.s1 ~ text.s1 "
                                "~ text.s1 ~ text.s1 ~ text.s1)|join(text.s1 ~ text.s1) }}{% endfor %}", "文字过长"),
    "join of every character, in a loop": ("{% for i in range(1000) %}{% for j in range(1000) %}"
                                           "{{ text.s1|join(' ') }}{% endfor %}{% endfor %}", "步"),
    "batch padding": ("{{ [1]|batch(999999999, 'x')|list }}", "参数过大"),
    "tojson indent": ("{{ v|tojson(999999999) }}", "参数过大"),
}


def _template_with(tmp_path, line):
    doc = Document(str(dx.default_template()))
    doc.add_paragraph(line)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_template_is_refused_within_memory_and_steps(tmp_path, case):
    source, words = CASES[case]
    tpl = _template_with(tmp_path, source)
    assert dx.check_template(tpl) == []  # the checker cannot tell: the render itself must be bounded
    out = subprocess.run([sys.executable, "-c", RUN, str(tpl)], capture_output=True, text=True, timeout=110)
    assert out.stdout.startswith("REFUSED"), out.stdout + out.stderr[-2000:]
    assert words in out.stdout and "内存不足" not in out.stdout, out.stdout
    assert not list(tmp_path.glob("*.out"))


def test_recursive_loops_are_refused_by_checker_and_sandbox(tmp_path):
    from jinja2.exceptions import SecurityError
    source = "{% for x in [[1,[2]]] recursive %}{{ loop(x) }}{% endfor %}"
    assert any("递归" in p for p in dx.check_template(_template_with(tmp_path, source)))
    with pytest.raises(SecurityError):
        dx._sandbox().from_string(source).render()


def test_the_budget_is_per_render_and_the_official_template_stays_well_inside(tmp_path, load_fixture):
    from app.export import ExportError
    report = load_fixture("wuzhong-minzheng-2023")
    dx.render_docx(report)
    assert 0 < dx._BUDGET.last_steps < dx.MAX_STEPS // 20
    hostile = _template_with(tmp_path, "{% for a in text.s1 %}{% for b in text.s1 %}{% for c in text.s1 %}"
                                       "{% endfor %}{% endfor %}{% endfor %}")
    with pytest.raises(ExportError, match="步"):
        dx.render_docx(report, hostile)
    for _ in range(3):  # a fresh budget each time: the refused render does not count against the next
        dx.render_docx(report)
