"""Who takes part in the demo: four provinces with their one-stop systems and agencies, the
ministry department that receives transfers, the procedures each agency receives, and the demo
clients with their FIXED, PUBLIC credentials (a demo, never a deployment).

Province agencies (`000.00.00.Hxx`) and the ministries are the catalog seed's
(`services/seed_data.py`, province number as in the seed). The departments and wards below are
real units (ward names and codes from `vietnam-provinces`, 2025); their agency codes follow the
seed's QCVN 102:2016 shape but are illustrative, not the codes the provinces assigned."""

from dataclasses import dataclass
from typing import Any

from app.demo.people import lower_first

MINISTRY_AGENCY = "000.00.04.G14"  # Cục Hộ tịch, quốc tịch, chứng thực (Bộ Tư pháp)
MINISTRY_UNIT = "Phòng Hộ tịch, Cục Hộ tịch, quốc tịch, chứng thực"


@dataclass(frozen=True)
class Province:
    code: str  # the 2025 province code, as `applicant.address.provinceCode`
    name: str  # "tỉnh Khánh Hòa", "thành phố Hà Nội"
    system: str  # the one-stop system's name, as `source.system`
    host: str  # where its files live (an example.vn host: nothing real is linked)
    wards: tuple[tuple[str, str], ...]  # (commune code, agency code) of the wards that receive
    weight: int  # its share of the dossiers

    @property
    def agency(self) -> str:
        return f"000.00.00.H{self.code}"

    @property
    def justice(self) -> str:
        return f"000.00.12.H{self.code}"

    @property
    def land(self) -> str:
        return f"000.00.17.H{self.code}"

    @property
    def id_prefix(self) -> str:
        return f"0{self.code}"


PROVINCES = (
    Province("56", "tỉnh Khánh Hòa", "motcua-khanhhoa", "hoso.khanhhoa.example.vn",
             (("22366", "000.00.31.H56"), ("22333", "000.00.32.H56"),
              ("22759", "000.00.33.H56")), 25),
    Province("38", "tỉnh Thanh Hóa", "motcua-thanhhoa", "hoso.thanhhoa.example.vn",
             (("14797", "000.00.31.H38"), ("14758", "000.00.32.H38"),
              ("15865", "000.00.33.H38")), 25),
    Province("01", "thành phố Hà Nội", "motcua-hanoi", "hoso.hanoi.example.vn",
             (("00070", "000.00.31.H01"), ("00004", "000.00.32.H01"),
              ("00256", "000.00.33.H01")), 28),
    Province("79", "Thành phố Hồ Chí Minh", "motcua-hcm", "hoso.hochiminh.example.vn",
             (("26740", "000.00.31.H79"), ("26743", "000.00.32.H79"),
              ("27343", "000.00.33.H79")), 22),
)  # fmt: skip
DEMO_PROVINCE = PROVINCES[0]  # Khánh Hòa: the province of the API's documentation examples


def agencies(commune_names: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """(code, PUT /agencies body) of the departments and wards the demo adds to the seed."""
    found: list[tuple[str, dict[str, Any]]] = []
    for p in PROVINCES:
        common = {"parent": p.agency, "provinceCode": p.code}
        found.append((p.justice, {"name": f"Sở Tư pháp {p.name}", "level": "province", **common}))
        found.append(
            (p.land, {"name": f"Sở Nông nghiệp và Môi trường {p.name}", "level": "province",
                      **common})
        )  # fmt: skip
        for commune, code in p.wards:
            name = f"Ủy ban nhân dân {lower_first(commune_names[commune])}"
            found.append((code, {"name": name, "level": "commune", **common}))
    return found


@dataclass(frozen=True)
class Work:
    """A procedure as the demo uses it: who receives it, its papers, its result, and how
    often it is filed."""

    code: str
    at: str  # "ward" or "land" (the province's department of agriculture and environment)
    summary: str
    papers: tuple[tuple[str, str], ...]  # (component code, name)
    result: str
    weight: int
    transferable: bool = False  # may go to the ministry for verification (liên thông)


WORKS = (
    Work("1.001193", "ward", "Đăng ký khai sinh cho con",
         (("TK01", "Tờ khai đăng ký khai sinh"), ("GCS", "Giấy chứng sinh")),
         "Giấy khai sinh (bản điện tử)", 24, transferable=True),
    Work("1.000894", "ward", "Đăng ký kết hôn",
         (("TK01", "Tờ khai đăng ký kết hôn"),
          ("XNHN", "Giấy xác nhận tình trạng hôn nhân")),
         "Giấy chứng nhận kết hôn", 10, transferable=True),
    Work("1.000656", "ward", "Đăng ký khai tử",
         (("TK01", "Tờ khai đăng ký khai tử"), ("GBT", "Giấy báo tử")),
         "Trích lục khai tử", 7),
    Work("2.000908", "ward", "Chứng thực bản sao từ bản chính",
         (("BC01", "Bản chính giấy tờ cần chứng thực"),),
         "Bản sao được chứng thực từ bản chính", 33),
    Work("1.003005", "ward", "Xác nhận tình trạng hôn nhân để đăng ký kết hôn",
         (("TK01", "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),),
         "Giấy xác nhận tình trạng hôn nhân", 14, transferable=True),
    Work("1.004227", "land", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
         (("DON", "Đơn đăng ký, cấp Giấy chứng nhận quyền sử dụng đất"),
          ("GT01", "Giấy tờ về quyền sử dụng đất"), ("SD", "Sơ đồ thửa đất")),
         "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 12),
)  # fmt: skip


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    secret: str
    name: str
    kind: str
    agencies: tuple[str, ...]


# PUBLIC demo credentials, printed by `lienthong demo` and written in the README. They are
# created only on the embedded database unless forced: anyone who reads the README has them.
CLIENTS = (
    DemoClient("demo-province", "demo-province-secret", "Hệ thống một cửa tỉnh Khánh Hòa (demo)",
               "province", (f"*.*.*.H{DEMO_PROVINCE.code}",)),
    DemoClient("demo-ministry", "demo-ministry-secret",
               "Hệ thống hộ tịch, Bộ Tư pháp (demo)", "ministry", (MINISTRY_AGENCY,)),
    DemoClient("demo-portal", "demo-portal-secret", "Cổng Dịch vụ công quốc gia (demo)",
               "portal", ()),
    DemoClient("demo-admin", "demo-admin-secret", "Quản trị viên (demo)", "admin", ()),
)  # fmt: skip
