"""XML documents as nested dicts, and back: the shape the mapping engine reads and writes.

An element becomes a dict of its attributes (`@name`), its children (by tag; repeated ones as a
list) and its text (`#text`); an element with text alone becomes the text. Parsing is safe:
defusedxml refuses DTDs, entities and external references, and depth is bounded."""

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_DEPTH = 32


class UnreadableDocument(ValueError):
    """A payload that is not a safe, well-formed document."""


def _to_dict(element: Element, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise UnreadableDocument(f"elements nest deeper than {MAX_DEPTH} levels")
    node: dict[str, Any] = {f"@{k}": v for k, v in element.attrib.items()}
    for child in element:
        value = _to_dict(child, depth + 1)
        if child.tag in node:
            existing = node[child.tag]
            node[child.tag] = (
                [*existing, value] if isinstance(existing, list) else [existing, value]
            )
        else:
            node[child.tag] = value
    text = (element.text or "").strip()
    if not node:
        return text
    if text:
        node["#text"] = text
    return node


def parse(payload: bytes) -> tuple[str, Any]:
    """The root tag and the root as a dict."""
    try:
        root = fromstring(payload, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise UnreadableDocument(f"not a safe, well-formed XML document: {error}") from None
    return str(root.tag), _to_dict(root, 1)


def _fill(element: Element, node: Any) -> None:
    if not isinstance(node, dict):
        element.text = str(node)
        return
    for key, value in node.items():
        if key.startswith("@"):
            element.set(key[1:], str(value))
        elif key == "#text":
            element.text = str(value)
        else:
            for item in value if isinstance(value, list) else [value]:
                _fill(SubElement(element, key), item)


def render(tag: str, node: Any) -> bytes:
    root = Element(tag)
    _fill(root, node)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()
