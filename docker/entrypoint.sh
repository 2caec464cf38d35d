#!/bin/sh
# The container's entry point: `web` (default), `worker`, `scheduler`, `migrate`, or any `tirek`
# command (`tirek backup ...`). Every process is exec'd, so it receives SIGTERM directly and
# stops cleanly (the worker finishes its current task first).
set -eu

command="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$command" in
  web)
    exec gunicorn --config /etc/tirek/gunicorn.conf.py tirek.wsgi:application "$@"
    ;;
  worker)
    exec tirek worker "$@"
    ;;
  scheduler)
    exec tirek scheduler "$@"
    ;;
  migrate)
    # One-shot, as the tables' owner: apply migrations; create or update the runtime role and
    # its privileges when one is configured (compose.yaml); then check the deployment settings.
    tirek migrate --noinput "$@"
    if [ -n "${TIREK_RUNTIME_DATABASE_URL:-}${TIREK_RUNTIME_DATABASE_URL_FILE:-}" ]; then
      tirek audit grants --apply
    fi
    exec tirek check --deploy --fail-level WARNING
    ;;
  tirek)
    exec tirek "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
