"""The portal's dossier payload (ADAPTERS.md section 1) to and from the common dossier.

Members are PascalCase Vietnamese, every value a string, dates `yyyyMMddHHmmss` in Vietnam
time. What the common schema does not model is kept under `ext.dvcqg`, keyed by its native
path, so that it survives the round trip."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from app.adapters.base import NativeError, Translation
from app.adapters.xml_documents import UnreadableDocument
from app.domain.clock import VIETNAM, to_vietnam
from app.domain.status import DVCQG_CODE

SYSTEM = "dvcqg"
DATE_FORMAT = "%Y%m%d%H%M%S"

SCALARS = [  # native member, common path
    ("MaHoSo", "code"), ("MaTTHC", "procedure.code"), ("TenTTHC", "procedure.name"),
    ("MaLinhVuc", "procedure.fieldCode"), ("ChuHoSo", "applicant.name"),
    ("SoDienThoai", "applicant.phone"), ("Email", "applicant.email"),
    ("DiaChi", "applicant.address.text"), ("MaTinh", "applicant.address.provinceCode"),
    ("MaXa", "applicant.address.communeCode"), ("TrichYeuHoSo", "summary"),
    ("DonViXuLy", "handlingAgency"),
]  # fmt: skip
DATES = [
    ("NgayNopHoSo", "submittedAt"),
    ("NgayTiepNhan", "receivedAt"),
    ("NgayHenTra", "dueAt"),
    ("NgayKetThucXuLy", "resolvedAt"),
    ("NgayTra", "returnedAt"),
]
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "KenhThucHien": ("channel", {"1": "counter", "2": "online", "3": "postal"}),
    "LoaiDoiTuong": (
        "applicant.kind",
        {"1": "citizen", "2": "enterprise", "3": "agency", "4": "organization"},
    ),
    "TrangThaiHoSo": ("status", {str(code): status.value for status, code in DVCQG_CODE.items()}),
    "HinhThuc": ("returnMethod", {"0": "counter", "1": "postal", "2": "electronic"}),
}
# Lists: native list, common list, kind of document (or None), [(native, common, type)].
LISTS: list[tuple[str, str, str | None, list[tuple[str, str, str]]]] = [
    ("TaiLieuNop", "documents", "submitted", [
        ("TepDinhKemId", "id", "text"), ("TenTepDinhKem", "name", "text"),
        ("MaThanhPhanHoSo", "componentCode", "text"), ("DuongDanTaiTepTin", "url", "text"),
        ("DuocSoHoa", "digitised", "flag"), ("DuocTaiSuDung", "reused", "flag")]),
    ("DanhSachGiayToKetQua", "documents", "result", [
        ("GiayToId", "id", "text"), ("TenGiayTo", "name", "text"),
        ("MaThanhPhanHoSo", "componentCode", "text"), ("DuongDanTepTinKetQua", "url", "text")]),
    ("DanhSachLePhi", "fees", None, [
        ("TenPhiLePhi", "name", "text"), ("MaPhiLePhi", "code", "text"),
        ("Gia", "amount", "integer")]),
    ("DanhSachHoSoBoSung", "supplements", None, [
        ("NoiDungBoSung", "reason", "text"), ("NgayBoSung", "requestedAt", "date"),
        ("NgayTiepNhanBoSung", "receivedAt", "date")]),
]  # fmt: skip
ID_NUMBER = "SoGiayToChuHoSo"  # a tax code for an enterprise, else a personal ID

# What the portal's format cannot carry from a common dossier.
LOSSY = (
    "source",
    "originalDueAt",
    "extensions",
    "rating",
    "applicant.idType",
    "documents[].sha256",
    "documents[].size",
    "documents[].mediaType",
    "documents[kind=supplement]",
    "documents[order=kind]",
    "fees[].paidAt",
    "fees[].paidOnline",
)
PRECISION = "second"


def _date(value: str) -> str:
    moment = datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)
    return moment.isoformat()


def native_date(value: str) -> str:
    return to_vietnam(datetime.fromisoformat(value)).strftime(DATE_FORMAT)


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def _get(source: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(source, dict) or part not in source:
            return None
        source = source[part]
    return source


def _value(kind: str, raw: Any) -> Any:
    if kind == "date":
        return _date(raw)
    if kind == "flag":
        return str(raw) == "1"
    if kind == "integer":
        return int(raw)
    return raw


def _native_value(kind: str, value: Any) -> str:
    if kind == "date":
        return native_date(value)
    if kind == "flag":
        return "1" if value else "0"
    return str(value)


def _translate(item: Any, where: str) -> Translation:
    result = Translation(where, None)
    if not isinstance(item, dict):
        result.errors.append(NativeError(where, "each item of data is an object"))
        return result
    dossier: dict[str, Any] = {}
    ext: dict[str, Any] = {}
    used: set[str] = set()

    def take(native: str, common: str, convert: Any) -> None:
        if native not in item or item[native] in (None, ""):
            return
        used.add(native)
        result.paths[common] = f"{where}.{native}"
        try:
            _put(dossier, common, convert(item[native]))
        except (ValueError, TypeError):
            result.errors.append(
                NativeError(
                    f"{where}.{native}", f"{item[native]!r} is not a value this member takes"
                )
            )

    for native, common in SCALARS:
        take(native, common, str)
    for native, common in DATES:
        take(native, common, _date)
    for native, (common, table) in TABLES.items():
        take(
            native,
            common,
            lambda raw, table=table: (
                table[str(raw)] if str(raw) in table else (_ for _ in ()).throw(ValueError())
            ),
        )
    kind = dossier.get("applicant", {}).get("kind")
    take(ID_NUMBER, "applicant.taxCode" if kind == "enterprise" else "applicant.idNumber", str)
    for native_list, common_list, document_kind, members in LISTS:
        entries = item.get(native_list)
        if entries is None:
            continue
        used.add(native_list)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            path = f"{native_list}[{index}]"
            converted: dict[str, Any] = {"kind": document_kind} if document_kind else {}
            for native, common, value_kind in members:
                if isinstance(entry, dict) and entry.get(native) not in (None, ""):
                    try:
                        converted[common] = _value(value_kind, entry[native])
                    except (ValueError, TypeError):
                        result.errors.append(
                            NativeError(
                                f"{where}.{path}.{native}", f"{entry[native]!r} is not valid"
                            )
                        )
            for native, value in entry.items() if isinstance(entry, dict) else ():
                if native not in {m[0] for m in members}:
                    ext[f"{path}.{native}"] = value
            position = len(dossier.setdefault(common_list, []))
            for native, common, _ in members:
                result.paths[f"{common_list}[{position}].{common}"] = f"{where}.{path}.{native}"
            dossier[common_list].append(converted)
    for native, value in item.items():
        if native not in used:
            ext[native] = value
            result.unmapped.append(f"{where}.{native}")
    address = dossier.get("applicant", {}).get("address")
    if address is not None:
        address.setdefault("text", "")  # the portal may send MaTinh without DiaChi
    code = dossier.get("code", "")
    dossier["receivingAgency"] = code.split("-")[0] if "-" in code else code
    result.paths["receivingAgency"] = f"{where}.MaHoSo"
    moments = [dossier[c] for _, c in DATES if c in dossier]
    dossier["source"] = {
        "system": SYSTEM,
        "updatedAt": max(moments, default=to_vietnam(datetime.now(VIETNAM)).isoformat()),
    }
    if ext:
        dossier["ext"] = {SYSTEM: ext}
    result.dossier = dossier if not result.errors else None
    return result


class DvcqgAdapter:
    system = SYSTEM
    title = "Cổng Dịch vụ công quốc gia (DongBoHoSoMC)"
    version = "1"
    media_type = "application/json"
    lossy: Sequence[str] = LOSSY
    precision = PRECISION

    def inbound(self, payload: bytes) -> list[Translation]:
        """`{"isUpdating": "True"|"False", "data": [...]}`, or a single dossier object. Raises
        `UnreadableDocument` for a payload that is not JSON, as every adapter does."""
        try:
            document = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise UnreadableDocument("the body is not JSON") from None
        if isinstance(document, dict) and "data" in document:
            items = document["data"]
            if not isinstance(items, list):
                return [Translation("data", None, errors=[NativeError("data", "a list")])]
            return [_translate(item, f"data[{i}]") for i, item in enumerate(items)]
        return [_translate(document, "")]

    def outbound(self, dossier: dict[str, Any]) -> dict[str, Any]:
        native: dict[str, Any] = {}
        for name, common in SCALARS:
            value = _get(dossier, common)
            if value not in (None, ""):
                native[name] = str(value)
        for name, common in DATES:
            if dossier.get(common):
                native[name] = native_date(dossier[common])
        for name, (common, table) in TABLES.items():
            value = _get(dossier, common)
            reverse = {v: k for k, v in table.items()}
            if value in reverse:
                native[name] = reverse[value]
        applicant = dossier.get("applicant", {})
        number = applicant.get("taxCode") or applicant.get("idNumber")
        if number:
            native[ID_NUMBER] = number
        extra = dict(dossier.get("ext", {}).get(SYSTEM, {}))
        for native_list, common_list, document_kind, members in LISTS:
            entries = [
                e
                for e in dossier.get(common_list, [])
                if document_kind is None or e.get("kind") == document_kind
            ]
            rendered = []
            for index, entry in enumerate(entries):
                # A false flag is the portal's default: left out, as the portal's own
                # payloads leave it out.
                out = {
                    name: _native_value(kind, entry[common])
                    for name, common, kind in members
                    if entry.get(common) is not None and entry[common] is not False
                }
                prefix = f"{native_list}[{index}]."
                for key in [k for k in extra if k.startswith(prefix)]:
                    out[key.removeprefix(prefix)] = extra.pop(key)
                rendered.append(out)
            if rendered:
                native[native_list] = rendered
        native.update(extra)
        return native

    def render(self, documents: list[dict[str, Any]]) -> bytes:
        return orjson.dumps({"isUpdating": "False", "data": documents})


PROGRESS_FIELDS = {  # native member -> Step member
    "NguoiXuLy": "handler",
    "ChucDanh": "title",
    "PhongBanXuLy": "unit",
    "NoiDungXuLy": "content",
}
PROGRESS_DATES = {"ThoiDiemXuLy": "at", "NgayKetThucTheoQuyDinh": "stepDueAt"}


def progress(payload: bytes) -> list[Translation]:
    """The portal's progress records (CapNhatTienDoHoSoMC): each becomes a step, and a status
    when `TrangThai` is given. `dossier` holds `{code, step, status}`."""
    try:
        records = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise UnreadableDocument("the body is not JSON") from None
    if isinstance(records, dict):
        records = records.get("data", [records])
    if not isinstance(records, list):
        raise UnreadableDocument("progress records come as a list")
    return [_progress_record(record, f"[{i}]") for i, record in enumerate(records)]


def _progress_record(record: Any, where: str) -> Translation:
    result = Translation(where, None)
    if not isinstance(record, dict) or not record.get("MaHoSo"):
        result.errors.append(NativeError(f"{where}.MaHoSo", "each record names its dossier"))
        return result
    step: dict[str, Any] = {}
    for native, common in PROGRESS_FIELDS.items():
        if record.get(native):
            step[common] = str(record[native])
            result.paths[f"step.{common}"] = f"{where}.{native}"
    for native, common in PROGRESS_DATES.items():
        if record.get(native):
            result.paths[f"step.{common}"] = f"{where}.{native}"
            try:
                step[common] = _date(str(record[native]))
            except ValueError:
                result.errors.append(NativeError(f"{where}.{native}", "not yyyyMMddHHmmss"))
    status = None
    if record.get("TrangThai") not in (None, ""):
        table = TABLES["TrangThaiHoSo"][1]
        status = table.get(str(record["TrangThai"]))
        if status is None:
            result.errors.append(NativeError(f"{where}.TrangThai", "a status code 1 to 10"))
    result.paths["code"] = f"{where}.MaHoSo"
    if not result.errors:
        result.dossier = {"code": str(record["MaHoSo"]), "step": step, "status": status}
    return result
