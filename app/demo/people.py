"""Applicants for the demo data: Vietnamese names, personal ID numbers (CCCD) that keep the
rules of `domain.identifiers`, phone numbers and addresses in communes that exist since the
2025 reorganisation. Small lists of our own rather than a fake-data library."""

import random
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from vietnam_provinces import Ward

# The commonest family names, roughly by how often they occur.
FAMILY = (
    ["Nguyễn"] * 12 + ["Trần"] * 4 + ["Lê"] * 4 + ["Phạm"] * 3
    + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
       "Đinh", "Trịnh", "Mai", "Lương"]
)  # fmt: skip
MIDDLE = {
    "male": ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thanh", "Xuân", "Gia"],
    "female": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Hồng"],
}
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
             "Khánh", "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tài",
             "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Vinh", "Anh", "Lâm", "Nhân"],
    "female": ["Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Huyền",
               "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương",
               "Quỳnh", "Thảo", "Thủy", "Trang", "Trâm", "Uyên", "Vân", "Yến", "Hiền", "Ly"],
}  # fmt: skip
STREETS = ["Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
           "Trần Hưng Đạo", "Lê Thánh Tông", "Nguyễn Du", "Phan Chu Trinh", "Hùng Vương",
           "Điện Biên Phủ", "Bà Triệu", "Ngô Quyền", "Lê Duẩn", "Nguyễn Huệ"]  # fmt: skip
HAMLETS = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Thôn Nam", "Thôn Bắc", "Thôn 1", "Thôn 2",
           "Thôn 3", "Xóm Mới", "Ấp Bình An", "Ấp Tân Hòa"]  # fmt: skip
MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032",
                   "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "079",
                   "081", "082", "083", "084", "085"]  # fmt: skip
# Where people were born, by the 63-province coding of personal IDs: mostly in the province
# they live in, sometimes elsewhere (a prefix of `identifiers.ID_PROVINCE_PREFIXES`).
ELSEWHERE = ["001", "031", "036", "038", "040", "042", "044", "046", "048", "056", "079", "092"]


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    birth_year: int
    id_number: str
    phone: str


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def person(rng: random.Random, id_prefix: str, this_year: int) -> Person:
    """An adult applicant. The CCCD is the birth province, the century-and-sex digit (0/1 for
    the 1900s, 2/3 for the 2000s, men even), the two last digits of the birth year, then six
    digits."""
    sex = rng.choice(("male", "female"))
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
    birth = rng.randint(this_year - 75, this_year - 19)
    century = (0 if birth < 2000 else 2) + (1 if sex == "female" else 0)
    prefix = id_prefix if rng.random() < 0.85 else rng.choice(ELSEWHERE)
    id_number = f"{prefix}{century}{birth % 100:02d}{rng.randrange(10**6):06d}"
    phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
    return Person(name, sex, birth, id_number, phone)


def email_of(rng: random.Random, who: Person) -> str:
    words = _ascii(who.name).split()
    return f"{words[-1]}.{words[0]}{rng.randint(1, 99)}@example.vn"


@cache
def communes(province_code: str) -> list[tuple[str, str]]:
    """(code, name) of every commune of a province, in code order."""
    found = [
        (f"{w.code.value:05d}", " ".join(w.name.split()))
        for w in Ward.iter_all()
        if f"{w.province_code.value:02d}" == province_code
    ]
    return sorted(found)


def commune_name(province_code: str, commune_code: str) -> str:
    return dict(communes(province_code))[commune_code]


def address(rng: random.Random, province_code: str, commune_code: str) -> dict[str, Any]:
    """An address in that commune: a house on a street in a ward, a hamlet in a commune."""
    name = commune_name(province_code, commune_code)
    if name.startswith("Phường"):
        text = f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {lower_first(name)}"
    else:
        text = f"{rng.choice(HAMLETS)}, {lower_first(name)}"
    return {"text": text, "provinceCode": province_code, "communeCode": commune_code}


def lower_first(name: str) -> str:
    """ "Phường Hạc Thành" as the middle of an address: "phường Hạc Thành"."""
    return name[:1].lower() + name[1:]
