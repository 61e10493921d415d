"""Logging that keeps personal data out: 12-digit personal ID numbers are masked in every log
record, whatever logger wrote it (QUALITY.md S6)."""

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

PERSONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
MASK = "************"


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return PERSONAL_ID.sub(MASK, value)
    if value is None or isinstance(value, int | float):
        return value  # formatters may need the number itself (%d)
    text = str(value)
    return PERSONAL_ID.sub(MASK, text) if PERSONAL_ID.search(text) else value


class PersonalIdFilter(logging.Filter):
    """Masks the message, its arguments and any exception text of a record, keeping their
    shapes (uvicorn's access formatter unpacks the arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        if PERSONAL_ID.search(message):
            self._mask_parts(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = PERSONAL_ID.sub(MASK, record.exc_text)
        return True

    @staticmethod
    def _mask_parts(record: logging.LogRecord) -> None:
        record.msg = _masked(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(arg) for key, arg in record.args.items()}


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the filter on its handlers (uvicorn replaces
    the handlers of its loggers when it starts, so they must be born filtered)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"personal_ids": {"()": PersonalIdFilter}}
    for handler in config["handlers"].values():
        handler["filters"] = ["personal_ids"]
    return config


def configure_logging(level: str) -> None:
    """Root logging at `level`, with the filter on every handler (uvicorn's included)."""
    logging.basicConfig(level=level)
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalIdFilter) for f in handler.filters):
                handler.addFilter(PersonalIdFilter())
