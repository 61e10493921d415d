"""The applicant's name as the status projection shows it (QUALITY.md S6)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.masking import mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Lê Thị Hương", "Lê T** H****"),
        ("Tôn Nữ Thị Ánh Tuyết", "Tôn N* T** Á** T****"),
        ("Đặng Đức", "Đặng Đ**"),
        ("Hương", "Hương"),  # a single word is the family name alone: nothing to mask
        ("Công ty TNHH Ánh Dương", "Công t* T*** Á** D****"),
    ],
)
def test_the_first_word_stays_and_each_later_word_keeps_its_first_letter(
    name: str, masked: str
) -> None:
    assert mask_name(name) == masked


def test_a_name_typed_with_combining_marks_masks_like_its_composed_form() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Ánh Dương")
    assert decomposed != "Nguyễn Ánh Dương"

    assert mask_name(decomposed) == "Nguyễn Á** D****"
    assert mask_name(decomposed) == mask_name("Nguyễn Ánh Dương")


def test_a_letter_nfc_cannot_compose_keeps_its_marks_and_counts_once() -> None:
    # "x" with a combining circumflex has no precomposed form: it is still one letter.
    assert mask_name("Lò x\u0302a") == "Lò x\u0302*"


def test_extra_whitespace_between_words_is_not_kept() -> None:
    assert mask_name("  Phạm\tVăn   Đồng ") == "Phạm V** Đ***"


def test_a_blank_name_masks_to_nothing() -> None:
    assert mask_name("   ") == ""


vietnamese_words = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐÂĂÊÔƠƯ",
    min_size=1,
    max_size=8,
)


@given(st.lists(vietnamese_words, min_size=1, max_size=6))
def test_only_the_family_name_and_initials_are_shown(words: list[str]) -> None:
    masked = mask_name(" ".join(words)).split(" ")

    assert len(masked) == len(words)
    assert masked[0] == words[0]
    for word, shown in zip(words[1:], masked[1:], strict=True):
        assert shown == word[0] + "*" * (len(word) - 1)
