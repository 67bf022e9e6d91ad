#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) and cache the QEMU test kernel that runs kbpf's KUnit suites.
#
#   kernel.sh                build the kernel if the cache has no copy
#   kernel.sh --print-image  the same, then print the bzImage path
#   kernel.sh --print-kdir   the same, then print the kernel tree (KDIR for M=)
#   kernel.sh --check        exit 0 if the cache already holds a built kernel
#
# The source is Debian's linux-source-6.12 (kernel.org cannot be reached).
# The tree lives in $CACHE_DIR/kunit-kernel/<key>/, where the key is made of
# the linux-source package version and a hash of the config fragment(s), the
# build recipe below and the compiler version: change any of them and the
# next run builds a new tree; change nothing and it is a cache hit.
# $CACHE_DIR/kunit-kernel/current points at the plain (non-debug) tree, and
# /work/linux-src at `current` (the team runs scripts/checkpatch.pl from it).
#
# KUNIT_DEBUG=1 also merges debug.config (lockdep, KASAN, UBSAN) under a
# different key.  Build logs go to <tree>/.kbpf-build.log.  Concurrent runs
# serialise on a flock; a run that was interrupted resumes where make stopped.

set -euo pipefail

# Called from the top-level make, which passes its command-line variables
# (O=, V=, ...) down in MAKEFLAGS; the kernel's make must not see them (O=
# would become its output directory).
unset MAKEFLAGS MFLAGS MAKELEVEL

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${CACHE_DIR:-$HOME/.cache/kbpf}
SRC_PKG=linux-source-6.12
SRC_TARBALL=${KUNIT_SRC_TARBALL:-/usr/src/$SRC_PKG.tar.xz}
LINUX_SRC_LINK=${KUNIT_LINUX_SRC_LINK:-/work/linux-src}
JOBS=${JOBS:-$(nproc)}

FRAGMENTS=("$HERE/kernel.config")
if [ "${KUNIT_DEBUG:-0}" = 1 ]; then
	FRAGMENTS+=("$HERE/debug.config")
fi

say() { echo "kunit-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

# --- the build recipe: these functions are hashed into the cache key -------

unpack_source() {
	local tree=$1

	mkdir -p "$tree"
	tar -C "$tree" --strip-components=1 -xf "$SRC_TARBALL"
}

configure_kernel() {
	local tree=$1

	make -C "$tree" -s tinyconfig
	# -m: merge only; olddefconfig then resolves dependencies once.
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" \
		"$tree/.config" "${FRAGMENTS[@]}"
	make -C "$tree" -s olddefconfig
}

# Kconfig silently drops an option whose dependencies are unmet; catch that
# here rather than boot a kernel that lacks what the tests rely on.
verify_config() {
	local tree=$1 frag line opt want missing=0

	for frag in "${FRAGMENTS[@]}"; do
		# shellcheck disable=SC2094 # say writes to stderr, not $frag
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				opt=${line%%=*}
				want=$line
				;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }
				opt=${opt%% *}
				want="# $opt is not set"
				;;
			*)
				continue
				;;
			esac
			if ! grep -qxF -- "$want" "$tree/.config"; then
				# shellcheck disable=SC1087,SC2094
				say "merged .config lost '$want' from $(basename "$frag") (now: $(grep -E "^(# )?$opt[= ]" "$tree/.config" || echo absent))"
				missing=1
			fi
		done <"$frag"
	done
	[ $missing = 0 ] || die "config fragment not honoured; fix its dependencies"
}

build_kernel() {
	local tree=$1

	# `modules` with no module configured still runs modpost and writes
	# Module.symvers, which out-of-tree builds need to resolve symbols.
	make -C "$tree" -j"$JOBS" bzImage modules_prepare modules
}

# --------------------------------------------------------------------------

cache_key() {
	local ver hash

	ver=$(dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null) ||
		die "$SRC_PKG is not installed (run: make deps)"
	hash=$({
		cat "${FRAGMENTS[@]}"
		declare -f unpack_source configure_kernel verify_config build_kernel
		gcc --version | head -n1
	} | sha256sum)
	echo "${ver//[^A-Za-z0-9.+-]/_}-${hash:0:16}"
}

link_current() {
	local key=$1

	# `current` is the plain kernel (what checkpatch users and the VM see).
	[ "${KUNIT_DEBUG:-0}" = 1 ] && return 0
	ln -sfnT "$key" "$CACHE_DIR/kunit-kernel/current"
	# Give the team a stable checkpatch path outside the repository.
	if [ -L "$LINUX_SRC_LINK" ] || [ ! -e "$LINUX_SRC_LINK" ]; then
		ln -sfnT "$CACHE_DIR/kunit-kernel/current" "$LINUX_SRC_LINK" 2>/dev/null ||
			say "note: could not link $LINUX_SRC_LINK"
	fi
}

# Runs with the lock held.
ensure_kernel() {
	local key=$1 tree=$2 log start

	[ -f "$tree/.kbpf-built" ] && return 0
	[ -r "$SRC_TARBALL" ] || die "$SRC_TARBALL missing (run: make deps)"
	log=$tree/.kbpf-build.log
	start=$(date +%s)
	if [ ! -f "$tree/.kbpf-unpacked" ]; then
		say "unpacking $SRC_TARBALL into $tree"
		rm -rf "$tree"
		unpack_source "$tree"
		touch "$tree/.kbpf-unpacked"
	fi
	link_current "$key"
	say "configuring (tinyconfig + ${FRAGMENTS[*]##*/})"
	configure_kernel "$tree" >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configure failed, log: $log"; }
	verify_config "$tree"
	say "building bzImage and modules_prepare with -j$JOBS (log: $log)"
	build_kernel "$tree" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "kernel build failed, log: $log"; }
	[ -f "$tree/arch/x86/boot/bzImage" ] || die "no bzImage after a successful make?"
	[ -f "$tree/Module.symvers" ] || die "no Module.symvers after a successful make?"
	echo "built $(date -u +%FT%TZ) in $(($(date +%s) - start))s" >"$tree/.kbpf-built"
	say "kernel built in $(($(date +%s) - start))s"
}

main() {
	local mode=build key tree

	case ${1:-} in
	"") ;;
	--print-image) mode=image ;;
	--print-kdir) mode=kdir ;;
	--check) mode=check ;;
	-h|--help) sed -n '4,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac

	key=$(cache_key)
	tree=$CACHE_DIR/kunit-kernel/$key
	if [ $mode = check ]; then
		[ -f "$tree/.kbpf-built" ]
		exit
	fi
	mkdir -p "$CACHE_DIR/kunit-kernel"
	# One lock per key: a debug build does not hold up a plain one.
	exec 9>"$CACHE_DIR/kunit-kernel/.lock-$key"
	if [ ! -f "$tree/.kbpf-built" ] && ! flock -n 9; then
		say "waiting for another build of $key to finish"
		flock 9
	fi
	if [ -f "$tree/.kbpf-built" ]; then
		say "cache hit: $tree ($(cat "$tree/.kbpf-built"))"
		link_current "$key"
	else
		ensure_kernel "$key" "$tree"
	fi
	case $mode in
	image) echo "$tree/arch/x86/boot/bzImage" ;;
	kdir) echo "$tree" ;;
	esac
}

main "$@"
