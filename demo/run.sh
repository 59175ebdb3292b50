#!/bin/sh
# The incident, reproduced: an agent runs from a zipapp, an "upgrade" deletes
# the archive, and the agent spins at 100% CPU.  pytrace attaches to the
# running process (no restart) and shows which Python code makes the calls.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pytrace=${PYTRACE:-$here/../build/pytrace}
python=${PYTHON:-python3}
work=$(mktemp -d /tmp/pytrace-demo.XXXXXX)
agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$python" -m zipapp "$here/app" -o "$work/agent.pyz"
"$python" "$work/agent.pyz" &
agent_pid=$!
sleep 1
rm -f "$work/agent.pyz"		# the upgrade removes the running archive
sleep 0.5
echo "agent (pid $agent_pid) is spinning:"
ps -o pid,pcpu,etime,args -p "$agent_pid" | sed 's/^/  /'
echo
echo "\$ pytrace -p $agent_pid -e openat      (2 seconds, first 12 lines)"
timeout -s INT 2 "$pytrace" -p "$agent_pid" -e openat -o "$work/trace.txt" || true
head -n 12 "$work/trace.txt"
echo "..."
echo "($(grep -c '^openat' "$work/trace.txt") openat calls in 2 s)"
