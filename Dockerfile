# Tirek's container image: one image for the web server, the task worker and the scheduler.
#   docker build -t tirek .
#   docker compose up -d        (see compose.yaml and docs/deployment.md)
# The image holds no secrets and no data: configuration comes from the environment and
# *_FILE secrets (docs/configuration.md), data lives in PostgreSQL.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN python -m venv /opt/tirek \
 && /opt/tirek/bin/pip install --upgrade pip \
 && /opt/tirek/bin/pip install .

FROM python:3.11-slim-bookworm
ENV PATH=/opt/tirek/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TIREK_DATA_DIR=/var/lib/tirek \
    STATIC_ROOT=/opt/tirek/static \
    LOG_FORMAT=json
# pg_dump/pg_restore for `tirek backup` and `tirek restore`: Debian's client, PostgreSQL 15, the
# version of the database in compose.yaml (pg_dump refuses a newer server). Pango and the DejaVu
# fonts for the PDF reports (WeasyPrint; DejaVu has the Kazakh letters).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system tirek \
 && useradd --system --gid tirek --home-dir /var/lib/tirek --shell /usr/sbin/nologin tirek \
 && install -d -o tirek -g tirek /var/lib/tirek
COPY --from=build /opt/tirek /opt/tirek
COPY docker/entrypoint.sh /usr/local/bin/tirek-entrypoint
COPY docker/gunicorn.conf.py /etc/tirek/gunicorn.conf.py
# Static files are collected at build time (hashed names, compressed); the settings need some
# secret values to load, which are thrown away with this layer's environment.
RUN chmod 0755 /usr/local/bin/tirek-entrypoint \
 && SECRET_KEY=collectstatic-only TIREK_BLIND_INDEX_KEY=collectstatic-only \
    TIREK_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    tirek collectstatic --noinput -v0
USER tirek
WORKDIR /var/lib/tirek
EXPOSE 8000
# Liveness of the web server; compose and Kubernetes use /health/ready for traffic.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:8000/health/live', timeout=4).status != 200)"]
ENTRYPOINT ["tirek-entrypoint"]
CMD ["web"]
