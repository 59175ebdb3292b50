#!/bin/sh
# Installs the Debian packages pytrace's build and tests need, when missing.
# Safe to run again: it does nothing when everything is there.
set -eu
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
      linux-libc-dev python3 python3.11 python3-pytest strace procps debootstrap
      libclang-rt-14-dev"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: need root to install packages" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
