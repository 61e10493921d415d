# Multi-stage: build a wheel-installed virtualenv, then copy it into a slim runtime image.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY app ./app
# Dependencies only: the hub runs from its source folder, next to its migrations.
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir . \
    && pip uninstall --yes lienthong

FROM python:3.11-slim AS runtime
RUN useradd --create-home --uid 10001 hub
WORKDIR /srv/lienthong
COPY --from=build /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HUB_DATA_DIR=/srv/lienthong/var
RUN mkdir -p var && chown hub:hub var
USER hub
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status == 200 else 1)"
CMD ["sh", "-c", "python -m app migrate && python -m app serve --host 0.0.0.0 --port 8000"]
