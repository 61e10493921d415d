"""Logging that keeps personal data out: 12-digit personal ID numbers are masked in every log
record, whatever logger wrote it (QUALITY.md S6)."""

import logging
import re

PERSONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
MASK = "************"


class PersonalIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = PERSONAL_ID.sub(MASK, message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = PERSONAL_ID.sub(MASK, record.exc_text)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str) -> None:
    """Root logging at `level`, with the filter on every handler (uvicorn's included)."""
    logging.basicConfig(level=level)
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalIdFilter) for f in handler.filters):
                handler.addFilter(PersonalIdFilter())
