#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Fetches Debian's libpython3.X-dev for the CPython versions pyenv does not
# have (3.14, 3.15 by default) from the "sid" suite of the mirror this
# machine's apt already uses, and unpacks their headers into a cache:
#
#   sh scripts/fetch-headers.sh [3.14 3.15 ...]
#   -> prints one line per version: "3.X.Y DIR" (DIR/python3.X/Python.h)
#
# apt runs with private lists and archives (never the system's sources).
# Cache: $PYTRACE_HEADER_CACHE, default /var/cache/pytrace-headers.
# Used by scripts/gen-layouts.sh; not needed to build or test pytrace.
set -eu

cache=${PYTRACE_HEADER_CACHE:-/var/cache/pytrace-headers}
suite=${PYTRACE_HEADER_SUITE:-sid}
[ $# -gt 0 ] || set -- 3.14 3.15

die() {
	echo "fetch-headers: $*" >&2
	exit 1
}

# The Debian archive this machine's apt is configured with (deb822 first).
mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f"
	done | head -n 1
	grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\// && $i !~ /security/) { print $i; exit } }' |
		head -n 1
}

uri=$(mirror | head -n 1)
[ -n "$uri" ] || die "no Debian mirror in the apt configuration"

apt_dir=$cache/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
	> "$apt_dir/sources.list"
set -- "$@"
aptopts="-o Dir::Etc::SourceList=$apt_dir/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$apt_dir/lists -o Dir::Cache::Archives=$apt_dir/archives
 -o APT::Sandbox::User=root -q"
# One index download a day is plenty.
if [ -z "$(find "$apt_dir/lists" -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	# shellcheck disable=SC2086
	apt-get $aptopts update >&2 || die "apt-get update for $suite failed"
fi

for v in "$@"; do
	pkg=libpython$v-dev
	# shellcheck disable=SC2086
	ver=$(apt-cache $aptopts show "$pkg" 2>/dev/null | awk '/^Version:/ { print $2; exit }')
	[ -n "$ver" ] || die "$suite has no $pkg"
	dir=$cache/$pkg-$ver
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		# shellcheck disable=SC2086
		(cd "$apt_dir/archives" && apt-get $aptopts download "$pkg" >&2) ||
			die "download of $pkg failed"
		dpkg-deb -x "$apt_dir/archives/${pkg}_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb" "$dir" ||
			die "unpacking $pkg failed"
		touch "$dir/.done"
	fi
	[ -f "$dir/usr/include/python$v/Python.h" ] || die "$pkg has no python$v/Python.h"
	micro=$(sed -n 's/^#define PY_VERSION[[:space:]]*"\(.*\)"/\1/p' \
		"$dir/usr/include/python$v/patchlevel.h")
	echo "$micro $dir/usr/include $dir/usr/include/x86_64-linux-gnu"
done
