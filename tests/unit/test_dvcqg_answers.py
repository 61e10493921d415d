"""The portal's answers (ADAPTERS.md section 1) and the one refusal a sender must act on."""

import unicodedata
from typing import Any

import pytest

from app.adapters.dvcqg.answers import ALREADY_EXISTS, already_exists, answer

CODE = "000.00.00.H56-251127-0012"


def test_an_answer_is_error_code_and_message() -> None:
    assert answer(True, "Đồng bộ thành công") == {
        "error_code": "0",
        "message": "Đồng bộ thành công",
    }
    assert answer(False, "Lỗi")["error_code"] == "-1"


@pytest.mark.parametrize(
    "reply",
    [
        {"error_code": "-1", "message": ALREADY_EXISTS},
        {"error_code": "-1", "message": f"{ALREADY_EXISTS}: {CODE}"},
        {"error_code": "-1", "message": unicodedata.normalize("NFD", ALREADY_EXISTS)},
    ],
)
def test_already_exists_is_recognised_by_its_message_in_any_normal_form(reply: Any) -> None:
    assert already_exists(reply)


@pytest.mark.parametrize(
    "reply",
    [
        {"error_code": "0", "message": ALREADY_EXISTS},
        {"error_code": "-1", "message": f"Không tìm thấy hồ sơ: {CODE}"},
        {"error_code": "-1"},
        {"error_code": "-1", "message": None},
        [ALREADY_EXISTS],
        None,
    ],
)
def test_other_answers_are_not_already_exists(reply: Any) -> None:
    assert not already_exists(reply)
