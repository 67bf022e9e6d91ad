#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print kbpf's version: the one string dkms.conf, MODULE_VERSION, kbpfctl
# --version and the Debian packages all carry.
#
#  - in a git checkout: the tag when HEAD is tagged vX.Y (X.Y), else the
#    checked-in base in VERSION plus "+git<commits>.<hash>", so snapshots
#    sort after the release they build on; ".dirty" for uncommitted changes;
#  - in a source tarball (no .git): VERSION, which `make dist` rewrote to the
#    full version of the commit it was made from.
#
# Every character is one dpkg and dkms accept in an upstream version.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cat "$top/VERSION")

# Only our own repository counts: a tarball unpacked inside some other
# git checkout (a packaging tree, /usr/src under etckeeper) must not take
# that checkout's history.
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" != "$top" ]; then
	echo "$base"
	exit 0
fi
if tag=$(git -C "$top" describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
	v=${tag#v}
else
	v="$base+git$(git -C "$top" rev-list --count HEAD).$(git -C "$top" rev-parse --short=7 HEAD)"
fi
git -C "$top" update-index -q --refresh >/dev/null 2>&1 || true
git -C "$top" diff-index --quiet HEAD -- 2>/dev/null || v="$v.dirty"
echo "$v"
