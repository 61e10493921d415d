"""Identifier rules of STANDARD.md section 3. Each check returns the value or raises
`ValueError` with a message that says which rule failed; Pydantic turns that into a located 422.

Province and commune codes come from the `vietnam-provinces` data (the 34 provinces and their
communes since 1 July 2025) and tax codes from python-stdnum's Vietnamese MST.
"""

import re
from datetime import date
from functools import cache

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst
from vietnam_provinces import Province, Ward

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$", re.ASCII)
DOSSIER_CODE = re.compile(
    r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<yymmdd>\d{6})-(?P<seq>\d{4,5})$", re.ASCII
)
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z]+)*$", re.ASCII)
PERSONAL_ID = re.compile(r"^(?P<province>\d{3})(?P<century>\d)(?P<year>\d{2})\d{6}$", re.ASCII)

# The province part of a 12-digit personal ID is where the birth was registered, coded by the
# 63 provinces that existed when IDs were issued (Circular 07/2016/TT-BCA, Circular
# 59/2021/TT-BCA). The 2025 reorganisation kept 34 of these codes, so the set still covers
# every ID; vietnam-provinces carries only the 34 current provinces, hence this one table.
ID_PROVINCE_PREFIXES = frozenset(
    f"0{code:02d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35,
        36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70,
        72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip
# The fourth digit codes century and sex: 0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s,
# 6/7 the 2200s, 8/9 the 1800s (men even, women odd).
CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800,
           9: 1800}  # fmt: skip


OLDEST_AGE = 130


def agency_code(value: str) -> str:
    if not AGENCY_CODE.fullmatch(value):
        raise ValueError("agency code must have the QCVN 102:2016 shape ddd.dd.dd.Ldd")
    return value


def dossier_code(value: str) -> str:
    match = DOSSIER_CODE.fullmatch(value)
    if not match:
        raise ValueError(
            "dossier code must be <agency ddd.dd.dd.Ldd>-<YYMMDD>-<4 or 5 digit sequence>"
        )
    yymmdd = match["yymmdd"]
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise ValueError(f"dossier code date {yymmdd} is not a real YYMMDD date") from None
    return value


def procedure_code(value: str) -> str:
    if not PROCEDURE_CODE.fullmatch(value):
        raise ValueError("procedure code must be a TTHC code d.dddddd, optionally with a suffix")
    return value


def personal_id(value: str, *, today: date | None = None) -> str:
    match = PERSONAL_ID.fullmatch(value)
    if not match:
        raise ValueError("personal ID (CCCD) must be 12 digits")
    if match["province"] not in ID_PROVINCE_PREFIXES:
        raise ValueError(
            f"personal ID starts with {match['province']}, which is no province of birth "
            "registration"
        )
    birth_year = CENTURY[int(match["century"])] + int(match["year"])
    this_year = (today or date.today()).year
    if birth_year < this_year - OLDEST_AGE:
        raise ValueError(
            f"personal ID century digit {match['century']} and year {match['year']} give "
            f"birth year {birth_year}, which is not plausible for a living person"
        )
    if birth_year > this_year:
        raise ValueError(
            f"personal ID century digit {match['century']} and year {match['year']} give "
            f"birth year {birth_year}, which is in the future"
        )
    return value


def tax_code(value: str) -> str:
    if not re.fullmatch(r"\d{10}(-\d{3})?", value, re.ASCII):
        raise ValueError("tax code must be 10 digits, or 10 digits, '-' and a 3-digit branch")
    try:
        mst.validate(value)
    except mst.InvalidChecksum:
        raise ValueError("tax code check digit (the tenth digit) does not match") from None
    except StdnumError:
        raise ValueError(
            "tax code has an impossible part (a serial of zeros, or branch 000)"
        ) from None
    return value


@cache
def _provinces() -> frozenset[str]:
    return frozenset(f"{p.code.value:02d}" for p in Province.iter_all())


@cache
def _communes() -> dict[str, str]:
    """Commune code -> its province code."""
    return {f"{w.code.value:05d}": f"{w.province_code.value:02d}" for w in Ward.iter_all()}


def province_code(value: str) -> str:
    if value not in _provinces():
        raise ValueError("province code must be one of the 34 provinces since 1 July 2025")
    return value


def commune_code(value: str) -> str:
    if value not in _communes():
        raise ValueError("commune code must be a 5-digit commune code since 1 July 2025")
    return value


def commune_province(commune: str) -> str | None:
    """The province a commune belongs to, or None for an unknown commune."""
    return _communes().get(commune)
