"""Folders of reports as a 政务公开办 receives them (tests of the review desk and its benchmark)."""
from __future__ import annotations

import os
import random

from app import project
from fuzz.docs import random_report

# words an office writes its narrative with; sentences drawn from them differ between organs as real ones do
_WORDS = ("主动公开 政府信息 依申请公开 公开平台 政务新媒体 政策解读 回应关切 保密审查 规范性文件 公开目录 "
          "信息发布 网站建设 工作机制 业务培训 监督考核 社会评议 责任追究 办理答复 行政复议 行政诉讼 "
          "便民服务 重点领域 财政预决算 民生保障 乡村振兴 营商环境 数据开放 政务服务 意见建议 归集整理 "
          "年度计划 专项检查 督促整改 公开指南 咨询电话 来信来访 依法依规 及时准确 全面规范 深入推进").split()


def narrative(rng: random.Random, sentences: int = 12) -> str:
    out = []
    for _ in range(sentences):
        words = rng.sample(_WORDS, rng.randint(5, 9))
        out.append("本机关" + "，".join(words) + "。")
    return "".join(out)


def realistic_report(rng: random.Random, organ: str, year: int):
    r = random_report(rng, organ=organ, year=year)
    r.sections["s1"] = narrative(rng) + r.sections["s1"]
    r.sections["s5"] = narrative(rng, 6) + r.sections["s5"]
    r.sections["s6"] = narrative(rng, 4) + r.sections["s6"]
    return r


def save(report, path, mtime: float | None = None):
    project.save(report, path)
    bak = path.with_name(path.name + ".bak")
    if bak.exists():
        bak.unlink()
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


SHANGHAI_PAGE = "shanghai-bangongting-2025.md"


def untitled_page(dst):
    """The published 上海市人民政府办公厅 2025 page (tests/fixtures/real/docs) with its title written without the
    organ ("2025 年政府信息公开工作年度报告", as organs' own sites often title theirs): a real report whose organ the
    reader cannot name, read with its real doubts. Written to ``dst``; returns it."""
    from pathlib import Path
    src = Path(__file__).resolve().parent / "fixtures" / "real" / "docs" / SHANGHAI_PAGE
    text = src.read_text(encoding="utf-8")
    title = "2025 年上海市人民政府办公厅政府信息公开"
    assert title in text, "the fixture's title changed"
    Path(dst).write_text(text.replace(title, "2025 年政府信息公开", 1), encoding="utf-8")
    return Path(dst)
