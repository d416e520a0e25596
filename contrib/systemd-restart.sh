#!/usr/bin/env bash
# Hands ptgbot over from the running systemd instance to the other one.
set -euo pipefail
url=${PTGBOT_URL:-http://127.0.0.1:8000}
if systemctl is-active --quiet ptgbot@blue; then old=blue new=green; else old=green new=blue; fi
systemctl start "ptgbot@$new"
newpid=$(systemctl show -p MainPID --value "ptgbot@$new")
for _ in $(seq 1 300); do
  # Keep asking until the new process answers (once it listens, new connections go to it).
  if curl -fsS "$url/healthz" | grep -q "\"pid\":$newpid[,}]"; then
    systemctl stop "ptgbot@$old" || true
    systemctl disable "ptgbot@$old" 2>/dev/null || true
    systemctl enable "ptgbot@$new" 2>/dev/null || true
    echo "ptgbot: $old -> $new"
    exit 0
  fi
  sleep 0.1
done
echo "ptgbot: $new did not answer; $old keeps running" >&2
systemctl stop "ptgbot@$new"
exit 1
