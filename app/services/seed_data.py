"""The catalog a new hub starts with: a few agencies of several provinces and ministries, and
common procedures with their TTHC codes and processing limits (illustrative values for a
demo and for development; administrators replace them through the API)."""

from typing import Any

AGENCIES: list[dict[str, Any]] = [
    {"code": "000.00.00.G14", "name": "Bộ Tư pháp", "level": "central"},
    {"code": "000.00.04.G14", "name": "Cục Hộ tịch, quốc tịch, chứng thực (Bộ Tư pháp)",
     "level": "central", "parent": "000.00.00.G14"},
    {"code": "000.00.00.G12", "name": "Bộ Tài nguyên và Môi trường", "level": "central"},
    {"code": "000.00.00.H38", "name": "Ủy ban nhân dân tỉnh Thanh Hóa", "level": "province",
     "province_code": "38"},
    {"code": "000.00.00.H56", "name": "Ủy ban nhân dân tỉnh Khánh Hòa", "level": "province",
     "province_code": "56"},
    {"code": "000.00.00.H01", "name": "Ủy ban nhân dân thành phố Hà Nội", "level": "province",
     "province_code": "01"},
    {"code": "000.00.00.H79", "name": "Ủy ban nhân dân Thành phố Hồ Chí Minh",
     "level": "province", "province_code": "79"},
    {"code": "000.00.12.H38", "name": "Sở Tư pháp tỉnh Thanh Hóa", "level": "province",
     "parent": "000.00.00.H38", "province_code": "38"},
    {"code": "000.00.31.H38", "name": "Ủy ban nhân dân phường Hạc Thành", "level": "commune",
     "parent": "000.00.00.H38", "province_code": "38"},
]  # fmt: skip

PROCEDURES: list[dict[str, Any]] = [
    {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field_code": "G09-HT",
     "limit_value": 1, "limit_unit": "working_days",
     "fees": [{"name": "Lệ phí đăng ký khai sinh", "amount": 0}], "issues_result": True},
    {"code": "1.000894", "name": "Thủ tục đăng ký kết hôn", "field_code": "G09-HT",
     "limit_value": 5, "limit_unit": "working_days",
     "fees": [{"name": "Lệ phí đăng ký kết hôn", "amount": 0}], "issues_result": True},
    {"code": "1.000656", "name": "Thủ tục đăng ký khai tử", "field_code": "G09-HT",
     "limit_value": 1, "limit_unit": "working_days", "fees": [], "issues_result": True},
    {"code": "2.000908", "name": "Thủ tục chứng thực bản sao từ bản chính",
     "field_code": "G09-CT", "limit_value": 4, "limit_unit": "working_hours",
     "fees": [{"name": "Phí chứng thực bản sao", "amount": 2000}], "issues_result": True},
    {"code": "1.004227", "name": "Thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu",
     "field_code": "G12-DD", "limit_value": 30, "limit_unit": "working_days",
     "fees": [{"name": "Lệ phí cấp giấy chứng nhận", "amount": 100000}], "issues_result": True},
    {"code": "1.003005", "name": "Thủ tục xác nhận tình trạng hôn nhân",
     "field_code": "G09-HT", "limit_value": 3, "limit_unit": "working_days",
     "fees": [], "issues_result": True},
]  # fmt: skip
