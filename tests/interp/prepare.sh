#!/bin/sh
# Prepares the Debian interpreters of the e2e matrix that this machine's own
# Debian release does not ship: one debootstrap'ed chroot per suite listed in
# tests/interp/interpreters.tsv, kept in a cache outside the repository
# (PYTRACE_INTERP_CACHE, default /var/cache/pytrace-interp).
#
# A chroot whose stamp file matches its package list is reused as it is, so
# a second run takes seconds.  A chroot without its stamp (a run that was
# interrupted) is removed and made again.  Writes $CACHE/manifest.tsv:
#   id  version  build  chroot-dir  interpreter-path-inside-the-chroot
#
# The mirror is the Debian archive this machine's apt already uses (or
# PYTRACE_INTERP_MIRROR): no host name is written here.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SPEC=$HERE/interpreters.tsv
CACHE=${PYTRACE_INTERP_CACHE:-/var/cache/pytrace-interp}

say() { echo "prepare-interp: $*"; }

# URIs of the "deb" sources that point at a Debian archive ("/debian" at the
# end of the path), first the deb822 files, then the one-line ones.
apt_debian_uris() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && uris != "")
				print uris
			types = ""; uris = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		tolower($1) == "types:" { types = $0 }
		tolower($1) == "uris:" { uris = $2 }
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# deb [options] URI suite components
		awk '$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			print $i
		}' "$f"
	done
}

find_mirror() {
	if [ -n "${PYTRACE_INTERP_MIRROR:-}" ]; then
		echo "$PYTRACE_INTERP_MIRROR"
		return
	fi
	apt_debian_uris | sed 's:/*$::' | grep -E '^(https?|file):.*/debian$' | head -n 1
}

need_tools() {
	missing=
	command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
	command -v gpgv >/dev/null 2>&1 || missing="$missing gpgv"
	[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] ||
		missing="$missing debian-archive-keyring"
	[ -z "$missing" ] && return 0
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Column $2 of the spec for every line whose suite is $1, comma separated.
packages_of() {
	awk -F '\t' -v s="$1" '!/^#/ && $2 == s { print $3 }' "$SPEC" | sort -u | paste -sd, -
}

suites() {
	awk -F '\t' '!/^#/ && NF >= 5 { print $2 }' "$SPEC" | sort -u
}

# Removes a chroot left by an interrupted run: unmounts whatever is still
# mounted below it first, and never crosses into another file system.
remove_tree() {
	[ -e "$1" ] || return 0
	awk -v d="$1/" 'index($5 "/", d) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m" || true; done
	rm -rf --one-file-system "$1"
}

# Whether the chroot of suite $1 is complete and has the listed packages.
is_ready() {
	[ -d "$CACHE/$1" ] && [ -f "$CACHE/$1.stamp" ] &&
		[ "$(cat "$CACHE/$1.stamp")" = "$(packages_of "$1")" ]
}

build_chroot() {
	suite=$1
	dir=$CACHE/$suite
	stamp=$CACHE/$suite.stamp
	pkgs=$(packages_of "$suite")
	if is_ready "$suite"; then
		say "$suite: cached in $dir ($pkgs)"
		return 0
	fi
	[ -e "$dir" ] && say "$suite: removing incomplete or outdated $dir"
	remove_tree "$dir"
	rm -f "$stamp"
	say "$suite: debootstrap from $MIRROR with $pkgs (log: $CACHE/$suite.log)"
	t0=$(date +%s)
	mkdir -p "$CACHE/debs-$suite"
	# Its own mount namespace: the /proc and /sys that debootstrap mounts
	# inside the chroot go away with it, even if it is killed.
	if ! unshare -m --propagation private \
		debootstrap --variant=minbase --include="$pkgs" \
		--cache-dir="$CACHE/debs-$suite" \
		"$suite" "$dir" "$MIRROR" >"$CACHE/$suite.log" 2>&1; then
		say "$suite: debootstrap failed; end of $CACHE/$suite.log:"
		tail -n 25 "$CACHE/$suite.log" >&2
		return 1
	fi
	echo "$pkgs" >"$stamp"
	say "$suite: ready in $(($(date +%s) - t0)) s"
}

write_manifest() {
	tmp=$CACHE/manifest.tsv.tmp
	: >"$tmp"
	# The loop runs in a subshell: a failure is left as a file.
	# shellcheck disable=SC2034
	grep -v '^#' "$SPEC" | while IFS="$(printf '\t')" read -r id suite pkg interp build; do
		[ -n "$id" ] || continue
		dir=$CACHE/$suite
		if ! ver=$(chroot "$dir" "$interp" -c 'import sys; print(sys.version.split()[0])' 2>&1); then
			say "$id: $interp does not run in $dir: $ver" >&2
			echo bad >"$CACHE/manifest.bad"
			continue
		fi
		printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$ver" "$build" "$dir" "$interp" >>"$tmp"
		say "$id: Python $ver ($build) at $dir$interp"
	done
	mv "$tmp" "$CACHE/manifest.tsv"
	if [ -e "$CACHE/manifest.bad" ]; then
		rm -f "$CACHE/manifest.bad"
		return 1
	fi
}

main() {
	if [ "$(id -u)" != 0 ]; then
		say "needs root (debootstrap, chroot)" >&2
		exit 1
	fi
	t_start=$(date +%s)
	mkdir -p "$CACHE"
	# One run at a time: a second one waits, then finds everything cached.
	exec 9>"$CACHE/.lock"
	flock 9
	rm -f "$CACHE/manifest.bad"

	to_build=
	for s in $(suites); do
		is_ready "$s" || to_build="$to_build $s"
	done
	if [ -n "$to_build" ]; then
		need_tools
		MIRROR=$(find_mirror)
		if [ -z "$MIRROR" ]; then
			say "no Debian archive in /etc/apt sources; set PYTRACE_INTERP_MIRROR" >&2
			exit 1
		fi
	else
		MIRROR=unused
	fi

	# The suites download and unpack in parallel; each logs to its own file.
	pids=
	for s in $(suites); do
		build_chroot "$s" &
		pids="$pids $!"
	done
	failed=0
	for p in $pids; do
		wait "$p" || failed=1
	done
	[ "$failed" = 0 ] || { say "some chroots failed" >&2; exit 1; }

	write_manifest || { say "some interpreters do not run" >&2; exit 1; }
	say "done in $(($(date +%s) - t_start)) s; manifest: $CACHE/manifest.tsv"
}

main "$@"
