"""The common dossier schema: wire conventions and member rules, without any I/O."""

import unicodedata
from typing import Any

import pytest
from pydantic import ValidationError

from app.api.problems import field_path
from app.schemas.dossier import DossierSnapshot
from tests.factories import snapshot


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        DossierSnapshot.model_validate(data)
    return {field_path(e["loc"]): e["msg"] for e in raised.value.errors()}


def test_the_swagger_example_is_a_valid_snapshot() -> None:
    dossier = DossierSnapshot.model_validate(snapshot())
    assert dossier.applicant.name == "Lê Thị Hương"


def test_members_are_camel_case_only() -> None:
    data = snapshot()
    data["receiving_agency"] = data.pop("receivingAgency")
    errors = _errors(data)
    assert "receivingAgency" in errors and "receiving_agency" in errors


def test_unknown_members_are_rejected_by_name() -> None:
    assert "applicant.nickname" in _errors(
        snapshot(applicant={"kind": "citizen", "name": "Lê Thị Hương", "nickname": "Hương"})
    )


def test_anything_goes_under_ext_namespaced_by_system() -> None:
    dossier = DossierSnapshot.model_validate(snapshot(ext={"dvcqg": {"NoiNopHoSo": "x"}}))
    assert dossier.ext == {"dvcqg": {"NoiNopHoSo": "x"}}


def test_ext_must_be_namespaced_objects() -> None:
    assert "ext.dvcqg" in _errors(snapshot(ext={"dvcqg": "flat"}))


def test_read_only_members_are_ignored_on_input() -> None:
    dossier = DossierSnapshot.model_validate(
        snapshot(version=99, createdAt="x", updatedAt="y", overdue=True)
    )
    assert "version" not in dossier.model_dump(by_alias=True)


def test_timestamps_without_an_offset_are_rejected() -> None:
    assert "receivedAt" in _errors(snapshot(receivedAt="2025-11-27T08:30:00"))


def test_timestamps_are_rendered_in_vietnam_time() -> None:
    dossier = DossierSnapshot.model_validate(snapshot(receivedAt="2025-11-27T01:30:00Z"))
    assert dossier.model_dump(mode="json", by_alias=True)["receivedAt"] == (
        "2025-11-27T08:30:00+07:00"
    )


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh cho con")
    assert decomposed != "Đăng ký khai sinh cho con"
    dossier = DossierSnapshot.model_validate(snapshot(summary=decomposed))
    assert dossier.summary == "Đăng ký khai sinh cho con"


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("code", "H56-251127-0012"),
        ("code", "000.00.00.H56-251301-0012"),  # month 13
        ("code", "000.00.00.H56-251127-12"),
        ("receivingAgency", "000.00.H56"),
        ("status", "closed"),
        ("channel", "fax"),
    ],
)
def test_malformed_codes_and_words_are_rejected_by_member(member: str, value: str) -> None:
    assert member in _errors(snapshot(**{member: value}))


def test_procedure_code_takes_a_local_suffix() -> None:
    dossier = DossierSnapshot.model_validate(snapshot(procedure={"code": "1.010708.000.00.00.H56"}))
    assert dossier.procedure.code == "1.010708.000.00.00.H56"


@pytest.mark.parametrize("id_number", ["03819001234", "0381900123456", "03819001234X"])
def test_a_citizen_id_is_twelve_digits(id_number: str) -> None:
    errors = _errors(snapshot(applicant={"kind": "citizen", "name": "A", "idNumber": id_number}))
    assert "applicant.idNumber" in errors


def test_a_passport_number_is_accepted_with_its_id_type() -> None:
    dossier = DossierSnapshot.model_validate(
        snapshot(
            applicant={
                "kind": "citizen",
                "name": "John Smith",
                "idType": "passport",
                "idNumber": "C1234567",
            }
        )
    )
    assert dossier.applicant.id_number == "C1234567"


@pytest.mark.parametrize("tax_code", ["0100109106", "0100109106-001"])
def test_tax_codes_have_ten_digits_and_an_optional_branch(tax_code: str) -> None:
    dossier = DossierSnapshot.model_validate(
        snapshot(
            applicant={"kind": "enterprise", "name": "Công ty TNHH Hoa Sen", "taxCode": tax_code}
        )
    )
    assert dossier.applicant.tax_code == tax_code


def test_fee_amounts_are_whole_non_negative_dong() -> None:
    assert "fees[0].amount" in _errors(snapshot(fees=[{"name": "Lệ phí", "amount": -1}]))
    assert "fees[0].amount" in _errors(snapshot(fees=[{"name": "Lệ phí", "amount": 1.5}]))


def test_document_urls_must_be_http() -> None:
    assert "documents[0].url" in _errors(
        snapshot(
            documents=[
                {"id": "f", "kind": "submitted", "name": "Tờ khai", "url": "file:///etc/passwd"}
            ]
        )
    )
