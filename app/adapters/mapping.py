"""Declarative mappings: a system whose format is a plain field-for-field mapping is described
by a TOML file (field paths, value tables, date formats, defaults) and needs no Python.
`docs/adapters.md` documents the format. This module validates a mapping and translates with
it; reading the files is `mapping_files.py`."""

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.adapters import xml_documents
from app.adapters.base import NativeError, Translation
from app.adapters.xml_documents import UnreadableDocument
from app.domain.clock import VIETNAM, to_vietnam

_DATE_TOKENS = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
_DATE_FORMAT = re.compile(r"^(yyyy|MM|dd|HH|mm|ss|[ /:.T-])+$")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldRule(_Rule):
    native: str = Field(min_length=1)
    common: str = Field(min_length=1)
    date: str | None = None  # a date format such as dd/MM/yyyy HH:mm, in Vietnam time
    table: str | None = None  # the name of a value table
    inbound_only: bool = False  # feeds a second common member; not rendered back

    @model_validator(mode="after")
    def _known_date_format(self) -> "FieldRule":
        if self.date is not None and not _DATE_FORMAT.fullmatch(self.date):
            raise ValueError(
                f"date format {self.date!r} uses letters other than yyyy MM dd HH mm ss"
            )
        return self


class ListRule(_Rule):
    native: str = Field(min_length=1)
    common: str = Field(min_length=1)
    defaults: dict[str, Any] = Field(default_factory=dict)
    fields: list[FieldRule]


class Mapping(_Rule):
    system: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    title: str
    version: str
    format: Literal["json", "xml"]
    root: str | None = None  # xml: the element of one dossier
    list_root: str | None = None  # xml: the element that holds several
    ext: str = Field(pattern=r"^[a-zA-Z][a-zA-Z0-9]*$")
    lossy: list[str] = Field(default_factory=list)
    precision: Literal["day", "minute", "second"] = "second"
    defaults: dict[str, Any] = Field(default_factory=dict)
    fields: list[FieldRule]
    lists: list[ListRule] = Field(default_factory=list)
    tables: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _tables_exist(self) -> "Mapping":
        rules = [*self.fields, *(rule for lst in self.lists for rule in lst.fields)]
        for rule in rules:
            if rule.table is not None and rule.table not in self.tables:
                raise ValueError(
                    f"field {rule.native!r} names table {rule.table!r}, which is not defined"
                )
        return self


def _strftime(pattern: str) -> str:
    for token, directive in _DATE_TOKENS.items():
        pattern = pattern.replace(token, directive)
    return pattern


def _parts(path: str) -> list[str]:
    return path.replace("/", ".").split(".")  # XML mappings write NguoiNop/DiaChi/@maTinh


def _get(source: Any, path: str) -> Any:
    for part in _parts(path):
        if not isinstance(source, dict) or part not in source:
            return None
        source = source[part]
    if isinstance(source, dict) and "#text" in source:
        return source["#text"]  # an XML element's text, beside its attributes
    return source


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = _parts(path)
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {} if child is None else {"#text": child}
        target = child
    if isinstance(target.get(leaf), dict) and not isinstance(value, dict):
        target[leaf]["#text"] = value
    else:
        target[leaf] = value


def _fold(word: str) -> str:
    """Table words match whatever their case and Unicode normalisation form."""
    return unicodedata.normalize("NFC", word).casefold()


def _leaves(document: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a JSON object by dotted path (lists are leaves)."""
    if not isinstance(document, dict) or (prefix and not document):
        return {prefix: document}
    found: dict[str, Any] = {}
    for key, value in document.items():
        found.update(_leaves(value, f"{prefix}.{key}" if prefix else key))
    return found


class MappedAdapter:
    """An adapter made from a mapping file."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.media_type = "application/xml" if mapping.format == "xml" else "application/json"
        self.system = mapping.system
        self.title = mapping.title
        self.version = mapping.version
        self.lossy: Sequence[str] = tuple(mapping.lossy)
        self.precision: str = mapping.precision

    def _inbound_value(self, rule: FieldRule, raw: Any) -> Any:
        if rule.date is not None:
            moment = datetime.strptime(str(raw), _strftime(rule.date))
            return moment.replace(tzinfo=VIETNAM).isoformat()
        if rule.table is not None:
            table = self.mapping.tables[rule.table]
            folded = {_fold(k): v for k, v in table.items()}
            if _fold(str(raw)) not in folded:
                raise ValueError(f"{raw!r} is none of {', '.join(table)}")
            return folded[_fold(str(raw))]
        return raw

    def _outbound_value(self, rule: FieldRule, value: Any) -> Any:
        if rule.date is not None:
            return to_vietnam(datetime.fromisoformat(value)).strftime(_strftime(rule.date))
        if rule.table is not None:
            reverse = {v: k for k, v in self.mapping.tables[rule.table].items()}
            return reverse.get(value, value)
        return value

    def _apply(
        self,
        rules: Sequence[FieldRule],
        native: dict[str, Any],
        common: dict[str, Any],
        where: str,
        result: Translation,
        prefix: str = "",
        used: set[str] | None = None,
    ) -> None:
        for rule in rules:
            raw = _get(native, rule.native)
            if raw is None:
                continue
            if used is not None:
                used.add(".".join(_parts(rule.native)))
            location = f"{where}.{rule.native}" if where else rule.native
            result.paths.setdefault(f"{prefix}{rule.common}", location)
            try:
                _put(common, rule.common, self._inbound_value(rule, raw))
            except (ValueError, TypeError) as error:
                result.errors.append(NativeError(location, str(error)))

    def _translate(self, native: Any, where: str) -> Translation:
        result = Translation(where, None)
        if not isinstance(native, dict):
            result.errors.append(NativeError(where or "body", "a JSON object"))
            return result
        dossier: dict[str, Any] = {}
        used: set[str] = set()
        self._apply(self.mapping.fields, native, dossier, where, result, used=used)
        for rule in self.mapping.lists:
            entries = _get(native, rule.native)
            if entries is None:
                continue
            if not isinstance(entries, list):
                entries = [entries]  # one XML child is not a list
            used.add(".".join(_parts(rule.native)))
            converted_list = dossier.setdefault(rule.common, [])
            for index, entry in enumerate(entries if isinstance(entries, list) else []):
                converted = dict(rule.defaults)
                self._apply(
                    rule.fields,
                    entry if isinstance(entry, dict) else {},
                    converted,
                    f"{where}.{rule.native}[{index}]".lstrip("."),
                    result,
                    prefix=f"{rule.common}[{index}].",
                )
                converted_list.append(converted)
        for path, value in self.mapping.defaults.items():
            if _get(dossier, path) is None:
                _put(dossier, path, value)
        unmapped = {
            path: value
            for path, value in _leaves(native).items()
            if path.removesuffix(".#text") not in used
            and not any(path.startswith(f"{u}.") for u in used)
        }
        if unmapped:
            dossier.setdefault("ext", {})[self.mapping.ext] = unmapped
            result.unmapped = [f"{where}.{path}" if where else path for path in unmapped]
        address = _get(dossier, "applicant.address")
        if isinstance(address, dict):
            address.setdefault("text", "")
        moments = [v for k, v in dossier.items() if k.endswith("At") and isinstance(v, str)]
        dossier["source"] = {
            "system": self.system,
            "updatedAt": max(moments, default=to_vietnam(datetime.now(VIETNAM)).isoformat()),
        }
        result.dossier = None if result.errors else dossier
        return result

    def inbound(self, payload: bytes) -> list[Translation]:
        """One native document, or a list of them. Raises `UnreadableDocument` for a payload
        that is not one (malformed, unsafe XML, a bad encoding)."""
        if self.mapping.format == "xml":
            return self._inbound_xml(payload)
        try:
            document = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise UnreadableDocument("the body is not JSON") from None
        if isinstance(document, list):
            return [self._translate(item, f"[{i}]") for i, item in enumerate(document)]
        return [self._translate(document, "")]

    def _inbound_xml(self, payload: bytes) -> list[Translation]:
        tag, root = xml_documents.parse(payload)
        one, many = self.mapping.root, self.mapping.list_root
        if tag == one:
            return [self._translate(root, "")]
        if tag == many and one is not None:
            items = root.get(one, []) if isinstance(root, dict) else []
            items = items if isinstance(items, list) else [items]
            return [self._translate(item, f"{one}[{i}]") for i, item in enumerate(items)]
        raise UnreadableDocument(f"the root element is <{tag}>, not <{one}> or <{many}>")

    def _render(self, rules: Sequence[FieldRule], common: dict[str, Any]) -> dict[str, Any]:
        native: dict[str, Any] = {}
        for rule in rules:
            value = _get(common, rule.common)
            if rule.inbound_only or value in (None, ""):
                continue
            _put(native, rule.native, self._outbound_value(rule, value))
        return native

    def outbound(self, dossier: dict[str, Any]) -> dict[str, Any]:
        native = self._render(self.mapping.fields, dossier)
        for rule in self.mapping.lists:
            entries = [
                self._render(rule.fields, entry)
                for entry in dossier.get(rule.common, [])
                if all(entry.get(k) == v for k, v in rule.defaults.items())
            ]
            if entries:
                _put(native, rule.native, entries)
        for path, value in dossier.get("ext", {}).get(self.mapping.ext, {}).items():
            _put(native, path, value)
        return native

    def render(self, documents: list[dict[str, Any]]) -> bytes:
        if self.mapping.format == "xml":
            one = self.mapping.root or "document"
            if len(documents) == 1:
                return xml_documents.render(one, documents[0])
            return xml_documents.render(self.mapping.list_root or "documents", {one: documents})
        return orjson.dumps(documents[0] if len(documents) == 1 else documents)
