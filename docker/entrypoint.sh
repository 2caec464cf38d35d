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
    # One-shot: apply migrations, then check the deployment settings.
    tirek migrate --noinput "$@"
    exec tirek check --deploy --fail-level WARNING
    ;;
  tirek)
    exec tirek "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
