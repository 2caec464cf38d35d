"""Gunicorn settings for the container (docs/deployment.md); each can be overridden with
GUNICORN_* style environment variables read below."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Threads serve the many short, database-bound requests; processes use the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Bodies are limited by Django; the proxy in front should limit them too.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log as JSON without personal data: no client address, no query string, no user agent.
accesslog = "-"
access_log_format = (
    '{"logger": "access", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_ms": %(M)s}'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
