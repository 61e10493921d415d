"""What a format cannot carry, as data, and the law it states: a common dossier sent out
through an adapter and read back equals the original once `strip` removes the declared losses.

A declaration is a member path (`summary`, `applicant.taxCode`), a member of every entry of a
list (`documents[].sha256`), the entries of a list that the format drops
(`documents[kind=supplement]`), or the order of a list's entries across the values of one
member (`documents[order=kind]`: the format keeps one list per kind). Time precision is
declared apart: `day`, `minute` or `second`, the finest part of a timestamp (a member ending in
`At`) that survives."""

import copy
from datetime import datetime
from typing import Any, Literal

Precision = Literal["day", "minute", "second"]
_ZEROED = {
    "day": ("hour", "minute", "second", "microsecond"),
    "minute": ("second", "microsecond"),
    "second": ("microsecond",),
}


def _drop(node: Any, parts: list[str]) -> None:
    if not isinstance(node, dict) or not parts:
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("]") and "[" in head:
        name, selector = head[:-1].split("[", 1)
        entries = node.get(name)
        if not isinstance(entries, list):
            return
        if selector.startswith("order="):
            member = selector.removeprefix("order=")
            node[name] = sorted(
                entries, key=lambda e: str(e.get(member)) if isinstance(e, dict) else ""
            )
        elif selector and "=" in selector:
            member, value = selector.split("=", 1)
            node[name] = [
                e for e in entries if not (isinstance(e, dict) and e.get(member) == value)
            ]
        else:
            for entry in entries:
                _drop(entry, rest)
        if not node[name]:
            del node[name]
        return
    if not rest:
        node.pop(head, None)
    else:
        _drop(node.get(head), rest)


def _cut(moment: str, precision: Precision) -> str:
    parsed = datetime.fromisoformat(moment)
    zeroes: dict[str, Any] = dict.fromkeys(_ZEROED[precision], 0)
    return parsed.replace(**zeroes).isoformat()


def _truncate(node: Any, precision: Precision) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                _cut(v, precision)
                if k.endswith("At") and isinstance(v, str)
                else _truncate(v, precision)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_truncate(item, precision) for item in node]
    return node


def strip(
    dossier: dict[str, Any], lossy: list[str] | tuple[str, ...], precision: Precision
) -> dict[str, Any]:
    """The dossier without what the format cannot carry."""
    kept = copy.deepcopy(dossier)
    # Dropped entries first: `documents[kind=result]` must see the kind that
    # `documents[].kind` would remove.
    for declaration in sorted(lossy, key=lambda d: "=" not in d):
        _drop(kept, declaration.split("."))
    return _truncate(kept, precision)  # type: ignore[no-any-return]
