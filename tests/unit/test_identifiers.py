"""Identifier rules of STANDARD.md section 3, with real-looking valid and invalid values."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.vn import mst

from app.domain import identifiers as ids

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("code", ["000.00.00.H56-251127-0012", "000.00.04.G14-260212-12345"])
def test_dossier_codes_accept_four_or_five_digit_sequences(code: str) -> None:
    assert ids.dossier_code(code) == code


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("000.00.00.H56-250230-0012", "real YYMMDD"),  # 30 February
        ("000.00.00.H56-251127-012", "4 or 5 digit"),
        ("000.00.00.H56-251127-123456", "4 or 5 digit"),
        ("00.00.00.H56-251127-0012", "agency"),
    ],
)
def test_dossier_codes_say_which_rule_failed(code: str, rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        ids.dossier_code(code)


@pytest.mark.parametrize("code", ["000.00.00.H56", "000.00.04.G14", "000.12.31.H38"])
def test_agency_codes_have_the_qcvn_shape(code: str) -> None:
    assert ids.agency_code(code) == code


@pytest.mark.parametrize("code", ["000.00.00.h56", "000.00.00.H5", "000-00-00-H56", "H56"])
def test_malformed_agency_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="QCVN"):
        ids.agency_code(code)


@pytest.mark.parametrize("code", ["1.001193", "2.000908", "1.010708.000.00.00.H56"])
def test_procedure_codes_take_a_local_suffix(code: str) -> None:
    assert ids.procedure_code(code) == code


@pytest.mark.parametrize("code", ["1001193", "1.00119", "10.001193", "1.001193."])
def test_malformed_procedure_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="TTHC"):
        ids.procedure_code(code)


@pytest.mark.parametrize(
    "number",
    [
        "038190012345",  # Thanh Hóa, a woman born in 1990
        "001099004321",  # Hà Nội, a man born in 1999
        "079205000123",  # Hồ Chí Minh City, a man born in 2005
        "096324000777",  # Cà Mau, a woman born in 2024
    ],
)
def test_plausible_personal_ids_are_accepted(number: str) -> None:
    assert ids.personal_id(number, today=TODAY) == number


@pytest.mark.parametrize(
    ("number", "rule"),
    [
        ("03819001234", "12 digits"),
        ("999190012345", "province of birth"),
        ("003190012345", "province of birth"),  # 03 was never a province code
        ("038230012345", "future"),  # the 2000s, year 30
        ("038800012345", "not plausible"),  # a man born in 1800
    ],
)
def test_implausible_personal_ids_say_which_rule_failed(number: str, rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        ids.personal_id(number, today=TODAY)


@given(
    st.sampled_from(sorted(ids.ID_PROVINCE_PREFIXES)),
    st.integers(0, 3),
    st.integers(0, 99),
    st.integers(0, 999_999),
)
def test_every_id_of_a_known_province_and_a_past_birth_year_is_plausible(
    prefix: str, century: int, year: int, serial: int
) -> None:
    number = f"{prefix}{century}{year:02d}{serial:06d}"
    birth_year = ids.CENTURY[century] + year
    if TODAY.year - ids.OLDEST_AGE <= birth_year <= TODAY.year:
        assert ids.personal_id(number, today=TODAY) == number
    else:
        with pytest.raises(ValueError):
            ids.personal_id(number, today=TODAY)


@pytest.mark.parametrize("code", ["0100109106", "0100109106-001", "0312687878"])
def test_tax_codes_with_their_check_digit_are_accepted(code: str) -> None:
    assert ids.tax_code(code) == code


@pytest.mark.parametrize(
    ("code", "rule"),
    [("0100109107", "check digit"), ("010010910", "10 digits"), ("0100109106-01", "10 digits")],
)
def test_bad_tax_codes_say_which_rule_failed(code: str, rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        ids.tax_code(code)


@given(st.from_regex(r"\A[0-9]{9}\Z"))
def test_a_tax_code_is_valid_exactly_with_its_computed_check_digit(body: str) -> None:
    right = mst.calc_check_digit(body)  # "10" for a body that no digit completes
    assume(body[2:] != "0000000")
    for digit in "0123456789":
        if digit == right:
            assert ids.tax_code(body + digit)
        else:
            with pytest.raises(ValueError, match="check digit"):
                ids.tax_code(body + digit)


def test_the_34_provinces_since_july_2025_are_the_province_codes() -> None:
    assert ids.province_code("38") == "38" and ids.province_code("01") == "01"
    for retired in ("02", "99", "35"):  # Hà Giang and Hà Nam merged in 2025; 99 never existed
        with pytest.raises(ValueError, match="34 provinces"):
            ids.province_code(retired)


def test_commune_codes_come_from_the_2025_data_with_their_province() -> None:
    assert ids.commune_code("14797") == "14797"  # Phường Hạc Thành, Thanh Hóa
    assert ids.commune_province("14797") == "38"
    with pytest.raises(ValueError, match="commune"):
        ids.commune_code("14832")  # a code from before the 2025 reorganisation
