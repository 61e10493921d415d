"""Shapes of the identifiers the standard names (STANDARD.md section 3).

Each check returns the value or raises `ValueError` with a message that says which rule failed;
Pydantic turns that into a located 422.
"""

import re
from datetime import date

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DOSSIER_CODE = re.compile(
    r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<yymmdd>\d{6})-(?P<seq>\d{4,5})$"
)
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z]+)*$")
PERSONAL_ID = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PROVINCE_CODE = re.compile(r"^\d{2}$")
COMMUNE_CODE = re.compile(r"^\d{5}$")


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


def personal_id(value: str) -> str:
    if not PERSONAL_ID.fullmatch(value):
        raise ValueError("personal ID (CCCD) must be 12 digits")
    return value


def tax_code(value: str) -> str:
    if not TAX_CODE.fullmatch(value):
        raise ValueError("tax code must be 10 digits, or 10 digits, '-' and a 3-digit branch")
    return value


def province_code(value: str) -> str:
    if not PROVINCE_CODE.fullmatch(value):
        raise ValueError("province code must be 2 digits")
    return value


def commune_code(value: str) -> str:
    if not COMMUNE_CODE.fullmatch(value):
        raise ValueError("commune code must be 5 digits")
    return value
