"""The portal's answer to a sync (ADAPTERS.md section 1): `{"error_code", "message"}`, with
`error_code` "0" when it took the payload and "-1" when it refused it.

The contract gives no wording for the one refusal a sender must act on: a new dossier
(`isUpdating: "False"`) whose `MaHoSo` the portal already holds. It is "-1" with a message that
opens with `ALREADY_EXISTS`, and the sender resends the payload with `isUpdating: "True"`."""

import unicodedata
from typing import Any

OK = "0"
FAILED = "-1"
ALREADY_EXISTS = "Hồ sơ đã tồn tại"
NOT_FOUND = "Không tìm thấy hồ sơ"  # progress for a dossier the portal does not hold


def answer(ok: bool, message: str) -> dict[str, str]:
    return {"error_code": OK if ok else FAILED, "message": message}


def already_exists(reply: Any) -> bool:
    """Whether a reply is the portal's "already exists" refusal (resend as an update)."""
    if not isinstance(reply, dict) or reply.get("error_code") != FAILED:
        return False
    message = reply.get("message")
    return isinstance(message, str) and unicodedata.normalize("NFC", message).startswith(
        ALREADY_EXISTS
    )
