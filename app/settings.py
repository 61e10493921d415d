"""Typed settings read from `HUB_*` environment variables (and a `.env` file)."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    """Everything the hub can be told from outside. Build it explicitly: never at import time."""

    model_config = SettingsConfigDict(env_prefix="HUB_", env_file=".env", extra="ignore")

    database_url: Annotated[
        str,
        Field(description="SQLAlchemy URL; unset means the embedded SQLite file ./var/hub.db"),
    ] = ""
    data_dir: Annotated[Path, Field(description="Where the embedded database lives")] = (
        DEFAULT_DATA_DIR
    )
    db_pool_size: Annotated[
        int,
        Field(ge=1, le=200, description="PostgreSQL connections a process keeps; no more are made"),
    ] = 20
    sqlite_synchronous: Annotated[
        Literal["normal", "full"],
        Field(
            description="The embedded database's `PRAGMA synchronous`: `normal` keeps every "
            "answered write through a crash of the process, `full` through a power cut too, "
            "for an fsync per commit (docs/decisions.md)"
        ),
    ] = "normal"
    max_body_bytes: Annotated[
        int, Field(ge=1024, description="Largest JSON or XML request body (413 above it)")
    ] = 10 * 1024 * 1024
    max_import_bytes: Annotated[
        int, Field(ge=1024, description="Largest NDJSON import body on /sync/dossiers")
    ] = 256 * 1024 * 1024
    idempotency_ttl_hours: Annotated[int, Field(ge=1)] = 24
    office_hours: Annotated[
        str, Field(description="Working periods of a working day, Vietnam time")
    ] = "07:30-11:30,13:00-17:00"
    admin_client_id: Annotated[
        str, Field(description="The first admin client, created at start when none exists")
    ] = ""
    admin_client_secret: Annotated[str, Field(repr=False)] = ""
    jwt_private_key: Annotated[
        str,
        Field(
            repr=False,
            description="PEM RSA key that signs tokens; unset: one is generated "
            "once into the data directory",
        ),
    ] = ""
    jwt_issuer: str = "urn:lienthong:hub"
    jwt_audience: str = "urn:lienthong:api"
    token_ttl_seconds: Annotated[int, Field(ge=60, le=86_400)] = 900
    secret_hash_cost: Annotated[
        int, Field(ge=10, le=20, description="log2 of scrypt's N for client secrets")
    ] = 14
    rate_limit_per_minute: Annotated[
        int, Field(ge=0, description="Requests a client may make per minute (0: no limit)")
    ] = 6000
    adapter_mappings_dir: Annotated[
        Path | None, Field(description="More adapter mapping files (*.toml), read at start")
    ] = None
    delivery_retry_schedule: Annotated[
        str,
        Field(
            description="Seconds to wait before each retry of a failed delivery, separated by "
            "commas; after the last, the delivery is dead"
        ),
    ] = "10,30,60,300,900,3600,7200,14400,28800,43200"
    delivery_timeout: Annotated[
        float, Field(gt=0, le=300, description="Seconds each delivery attempt may take")
    ] = 10.0
    delivery_worker: Annotated[
        Literal["auto", "on", "off"],
        Field(
            description="Run the delivery worker inside the API process: `auto` does on the "
            "embedded database, where one command should run everything"
        ),
    ] = "auto"
    delivery_batch: Annotated[int, Field(ge=1, le=1000)] = 50
    delivery_poll_seconds: Annotated[float, Field(gt=0, le=60)] = 0.5
    log_level: str = "INFO"
    docs_title: str = "Liên thông: dossier interoperability hub"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'hub.db'}"

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("delivery_retry_schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        waits = [w.strip() for w in value.split(",") if w.strip()]
        if not waits or not all(w.isdigit() for w in waits):
            raise ValueError("a list of whole seconds separated by commas, e.g. 10,30,60")
        return ",".join(waits)

    def retry_schedule(self) -> list[int]:
        return [int(w) for w in self.delivery_retry_schedule.split(",")]

    @property
    def runs_worker_in_process(self) -> bool:
        return self.delivery_worker == "on" or (self.delivery_worker == "auto" and self.is_sqlite)

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")
