"""Linux build step: a smaller ICU data library for the frozen program ("a lighter frozen program").

PySide6's Qt links ICU, and ICU's data library ``libicudata.so.NN`` (31 MiB, the biggest file of the bundle) holds
the data of every ICU service for every language. Qt calls only a few ICU services — found by reading which ICU
symbols the bundled Qt libraries import (``readelf --dyn-syms``: ``ucnv_*`` converters, ``ucol_*`` collation,
``ucal_*`` time zones and their display names, ``u_strToUpper/Lower`` case mapping) — and the program is used in
Chinese (with English as the source language). So this step keeps:

  * every converter (``*.cnv``, ``cnvalias.icu``: QStringConverter may be asked for any encoding),
  * every item that is not per-language data (normalisation, ``root.res``, ``pool.res``, time-zone rules,
    calendar and plural data, ``supplementalData``, …),
  * the per-language data (locale bundles, collation, time-zone names) of ``root``, ``zh*`` and ``en*`` only,

and drops the rest: the per-language data of other languages, and the trees no Qt code reaches (``brkitr``
break iterators, ``curr`` currency names, ``lang``/``region`` display names, ``unit`` units, ``rbnf`` spelled-out
numbers, ``translit`` transliteration). Another language's collation then falls back to the root collation,
as ICU does for any language it has no data for.

The data is repacked with ICU's own ``icupkg`` (Debian: icu-devtools) and linked into a shared library of the
same name and ``soname`` exporting the same symbol (``icudtNN_dat``), with the system C compiler. Without these
tools the full library is kept and a warning is printed (tests/test_frozen.py then fails on the size limit).

    python installer/trim_icu.py LIBICUDATA OUTDIR      # writes OUTDIR/libicudata.so.NN, prints sizes
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

KEEP_LANGUAGES = ("root", "zh", "en")
# trees of per-language data that no ICU function Qt calls ever reads
DROP_TREES = ("brkitr", "curr", "lang", "region", "unit", "rbnf", "translit")
# trees of per-language data Qt uses (collation; time-zone display names): kept for KEEP_LANGUAGES
LANGUAGE_TREES = ("coll", "zone")
# names of per-language bundles: a language code, then script/region/variant parts (zh_Hans_CN, en_001, root)
LOCALE_NAME = re.compile(r"^(root|[a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")
NOT_LOCALES = {"pool.res", "res_index.res"}


def wanted(item: str) -> bool:
    """Does the trimmed package keep this item (a path inside the package, e.g. ``coll/zh.res``)?"""
    parts = item.split("/")
    if len(parts) > 1 and parts[0] in DROP_TREES:
        return False
    name = parts[-1]
    if len(parts) > 1 and parts[0] not in LANGUAGE_TREES:
        return True
    if name in NOT_LOCALES or not LOCALE_NAME.match(name):
        return True                                        # converters, rules, ucadata.icu, supplemental data
    return name.split("_")[0].removesuffix(".res") in KEEP_LANGUAGES


def tools() -> tuple[str, str] | None:
    icupkg, cc = shutil.which("icupkg"), shutil.which("cc") or shutil.which("gcc")
    return (icupkg, cc) if icupkg and cc else None


def _data_blob(lib: Path) -> tuple[str, bytes]:
    """The ICU data package inside ``lib``: the bytes of its exported ``icudtNN_dat`` symbol."""
    syms = subprocess.run(["readelf", "--dyn-syms", "-W", str(lib)], capture_output=True, text=True, check=True)
    sym = next(line.split() for line in syms.stdout.splitlines() if re.search(r"\bicudt\d+_dat$", line))
    value, size, name = int(sym[1], 16), int(sym[2], 0), sym[7]
    heads = subprocess.run(["readelf", "-S", "-W", str(lib)], capture_output=True, text=True, check=True)
    for line in heads.stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            addr, off, sec_size = (int(g, 16) for g in m.groups())
            if addr <= value and value + size <= addr + sec_size and addr:
                with open(lib, "rb") as f:
                    f.seek(off + value - addr)
                    return name, f.read(size)
    raise RuntimeError(f"{lib}: no section holds {name}")


def trim(lib: Path, outdir: Path) -> Path:
    """Write ``outdir/<lib's name>``: the same library with the trimmed data. Raises if a tool fails."""
    found = tools()
    if found is None:
        raise RuntimeError("icupkg (icu-devtools) or a C compiler is missing")
    icupkg, cc = found
    symbol, blob = _data_blob(lib)                        # e.g. icudt73_dat
    if blob[12:16] != b"CmnD":
        raise RuntimeError(f"{lib}: {symbol} is not an ICU common data package")
    pkg = symbol.removesuffix("_dat") + "l"               # icudt73l: the package (and item prefix) name
    work = outdir / "icu-work"
    shutil.rmtree(work, ignore_errors=True)
    (work / "in").mkdir(parents=True)
    (work / "out").mkdir()
    full = work / "in" / f"{pkg}.dat"
    full.write_bytes(blob)
    items = subprocess.run([icupkg, "-l", str(full)], capture_output=True, text=True, check=True).stdout.split()
    drop = [i for i in items if not wanted(i)]
    (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="utf-8")
    trimmed = work / "out" / f"{pkg}.dat"
    subprocess.run([icupkg, "-tl", "-r", str(work / "drop.txt"), str(full), str(trimmed)], check=True,
                   capture_output=True, text=True)
    kept = subprocess.run([icupkg, "-l", str(trimmed)], capture_output=True, text=True, check=True).stdout.split()
    if sorted(kept) != sorted(i for i in items if wanted(i)):
        raise RuntimeError("icupkg did not keep exactly the wanted items")
    asm = work / "data.S"
    asm.write_text(f"""    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{trimmed}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
""", encoding="utf-8")
    out = outdir / lib.name
    soname = subprocess.run(["readelf", "-d", str(lib)], capture_output=True, text=True, check=True).stdout
    soname = re.search(r"Library soname: \[([^\]]+)\]", soname).group(1)
    subprocess.run([cc, "-shared", "-nostdlib", "-Wl,-z,noexecstack", f"-Wl,-soname,{soname}", "-o", str(out),
                    str(asm)], check=True, capture_output=True, text=True)
    print(f"trim_icu: {lib.name} {lib.stat().st_size / 2**20:.1f} MiB -> {out.stat().st_size / 2**20:.1f} MiB "
          f"({len(items) - len(drop)} of {len(items)} data items kept)")
    shutil.rmtree(work, ignore_errors=True)
    return out


if __name__ == "__main__":
    trim(Path(sys.argv[1]), Path(sys.argv[2]))
