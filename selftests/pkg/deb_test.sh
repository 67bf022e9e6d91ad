#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages as an administrator meets them (`make deb-check`):
#
#  1. lintian finds no error in the .changes (warnings are shown);
#  2. both packages install with dpkg into a scratch root (dpkg --root,
#     maintainer scripts chrootless, so nothing touches this machine):
#     kbpf-tools with its postinst (kbpf.service enabled in the scratch
#     root), kbpf-dkms unpacked and then built and installed by dkms for
#     each kernel into the scratch root's trees, as its postinst would;
#  3. the installed kbpfctl runs (`kbpfctl version`, `-V`), the man pages
#     render without warnings, the bash completion completes, depmod lists
#     /dev/kbpf in modules.devname;
#  4. per kernel, one VM boot (selftests/pkg/vm_test.sh): the packaged
#     kbpf.ko loads with modprobe (and on first use of the netlink family
#     and of /dev/kbpf), and kbpf.service's commands apply
#     /etc/kbpf/kbpf.conf, again after a simulated reboot; on the last
#     kernel the kernel's ynl CLI (python3 staged into the VM) does
#     get-version and a program dump through the packaged YNL spec;
#  5. purge removes /etc/kbpf.
#
# usage: deb_test.sh DEB_DIR VERSION DROP_ICMP_ECHO.bpf.o [KERNEL_RELEASE...]
#   KERNEL_RELEASE: kernels from /boot to test the module on (default: the
#   newest generic 6.1 and 6.12 in /boot).  KBPF_DEB_VM=0 skips the VM boots.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
usage="usage: deb_test.sh DEB_DIR VERSION DROP_ICMP_ECHO.bpf.o [KERNEL_RELEASE...]"
deb_dir=${1:?$usage}
version=${2:?$usage}
drop_obj=${3:?$usage}
shift 3
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	for series in 6.1 6.12; do
		# The generic flavour: -rt and -cloud images sort after it.
		k=$(printf '%s\n' /boot/vmlinuz-"$series".* 2>/dev/null |
			grep -v -e '\*' -e '-rt-amd64$' -e '-cloud-amd64$' | sort -V | tail -n 1)
		[ -n "$k" ] && kernels+=("${k#/boot/vmlinuz-}")
	done
fi

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
finish()
{
	echo "deb-check: $passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

tools_deb=$(ls "$deb_dir"/kbpf-tools_"$version"_*.deb 2>/dev/null | head -n 1)
dkms_deb=$(ls "$deb_dir"/kbpf-dkms_"$version"_all.deb 2>/dev/null | head -n 1)
changes=$(ls "$deb_dir"/kbpf_"$version"_*.changes 2>/dev/null | head -n 1)
if [ -z "$tools_deb" ] || [ -z "$dkms_deb" ] || [ -z "$changes" ]; then
	echo "deb-check: no kbpf $version packages in $deb_dir (run: make deb)" >&2
	exit 2
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/kbpf-deb-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

# ---- 1. lintian -----------------------------------------------------------
lintian_out=$(lintian --fail-on error --allow-root "$changes" 2>&1)
rc=$?
[ -n "$lintian_out" ] && printf '%s\n' "$lintian_out" | sed 's/^/    /'
check "lintian: no errors" test $rc -eq 0

# ---- 2. install into a scratch root ----------------------------------------
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
	 "$root/var/lib/dpkg/triggers" "$root/var/lib/dkms"
: >"$root/var/lib/dpkg/status"
dpkg_root() {
	dpkg --root="$root" --force-script-chrootless --force-depends \
	     --log=/dev/null "$@"
}
check "dpkg -i kbpf-tools into a scratch root" dpkg_root -i "$tools_deb"
check "kbpf-tools is installed there" \
	test "$(dpkg-query --root="$root" -W -f='${Status} ${Version}' kbpf-tools)" = "install ok installed $version"
check "kbpf.service is enabled there" \
	test -L "$root/etc/systemd/system/multi-user.target.wants/kbpf.service"
check "kbpf.service runs the installed kbpfctl on /etc/kbpf/kbpf.conf" \
	grep -qx 'ExecStart=/usr/sbin/kbpfctl apply /etc/kbpf/kbpf.conf' "$root/lib/systemd/system/kbpf.service"
check "dpkg --unpack kbpf-dkms into the scratch root" dpkg_root --unpack "$dkms_deb"
check "the DKMS sources are in /usr/src/kbpf-$version" \
	test -f "$root/usr/src/kbpf-$version/dkms.conf" -a -f "$root/usr/src/kbpf-$version/kmod/main.c"
check "dkms.conf carries the package version" \
	grep -qx "PACKAGE_VERSION=\"$version\"" "$root/usr/src/kbpf-$version/dkms.conf"
check "the DKMS tree holds no tests, tools or build outputs" \
	test -z "$(cd "$root/usr/src/kbpf-$version" && find . -name '*.o' -o -name '*.ko' -o -path './selftests*' -o -path './userspace-tool*')"

# What the postinst does (dkms add, build, install per kernel), into the
# scratch root's DKMS and module trees instead of this machine's.
dkms_root() {
	dkms "$@" --sourcetree "$root/usr/src" --dkmstree "$root/var/lib/dkms" \
	     --installtree "$root/lib/modules"
}
check "dkms add" dkms_root add "kbpf/$version" >/dev/null
for k in "${kernels[@]}"; do
	mkdir -p "$root/lib/modules/$k"
	start=$(date +%s)
	if dkms_root install "kbpf/$version" -k "$k" >"$root/dkms-$k.log" 2>&1; then
		ok "dkms install for $k ($(($(date +%s) - start))s)"
	else
		sed 's/^/    /' "$root/dkms-$k.log" | tail -n 20
		not_ok "dkms install for $k"
	fi
	ko=$(ls "$root/lib/modules/$k/updates/dkms/"kbpf.ko* 2>/dev/null | head -n 1)
	check "$k: kbpf.ko in /lib/modules/$k/updates/dkms" test -n "$ko"
	[ -n "$ko" ] || continue
	check "$k: its version is $version" test "$(modinfo -F version "$ko")" = "$version"
	check "$k: its vermagic is $k" test "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k"
	depmod -b "$root" "$k" 2>/dev/null
	check "$k: depmod puts /dev/kbpf in modules.devname" \
		grep -qx 'kbpf kbpf c10:249' "$root/lib/modules/$k/modules.devname"
done

# ---- 3. the installed tool, man pages, completion ----------------------------
kbpfctl=$root/usr/sbin/kbpfctl
out=$("$kbpfctl" version 2>&1)
check "kbpfctl version names the package version" grep -qx "kbpfctl $version (uapi abi [0-9]*)" <<<"$out"
check "kbpfctl version says how to load the module" grep -q "modprobe kbpf" <<<"$out"
check "kbpfctl -V" test "$("$kbpfctl" -V)" = "$("$kbpfctl" version | head -n 1)"
check "linux/kbpf.h is installed" test -f "$root/usr/include/linux/kbpf.h"
for page in man8/kbpfctl.8 man4/kbpf.4 man5/kbpf.conf.5; do
	f=$root/usr/share/man/$page.gz
	warn=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
	check "man page $page renders without warnings" test -f "$f" -a -z "$warn"
done
check "kbpfctl(8) documents apply" sh -c "zcat '$root/usr/share/man/man8/kbpfctl.8.gz' | grep -q 'kbpfctl apply'"

complete_words()
{
	# complete_words WORD...: what bash completion offers for the last word
	bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_kbpfctl kbpfctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$root/usr/share/bash-completion/completions/kbpfctl" "$@" 2>/dev/null | LC_ALL=C sort | tr '\n' ' '
}
if [ -r /usr/share/bash-completion/bash_completion ]; then
	check "completion: objects" test "$(complete_words kbpfctl a)" = "apply "
	check "completion: prog commands" test "$(complete_words kbpfctl prog de)" = "detach "
	check "completion: hook names" \
		test "$(complete_words kbpfctl prog attach 3 hook ipv6/lo)" = "ipv6/local_in ipv6/local_out "
	check "completion: verify profiles" test "$(complete_words kbpfctl verify x.o profile e)" = "embedded "
	check "completion: map commands" test "$(complete_words kbpfctl map c)" = "create "
	check "completion: map types" test "$(complete_words kbpfctl map create type lru)" = "lru_hash lru_percpu_hash "
	check "completion: objects e" test "$(complete_words kbpfctl e)" = "events "
	check "completion: trace options" test "$(complete_words kbpfctl trace hello c)" = "count "
	check "completion: capture options" test "$(complete_words kbpfctl capture 3 -)" = "--snaplen -w "
else
	echo "SKIP: bash completion (install bash-completion)"
fi

# ---- 4. the packaged module and kbpf.service in the VM ----------------------

# Debian's python3 with PyYAML and the kernel's ynl CLI (tools/net/ynl of the
# KUnit kernel tree), trimmed, for the VM that boots the last kernel: ynl
# talks to the packaged module through the packaged spec.
ynl_dir=${KBPF_YNL_DIR:-${CACHE_DIR:-$HOME/.cache/kbpf}/kunit-kernel/current/tools/net/ynl}
stage_python()
{
	local py=$root/py so

	mkdir -p "$py/usr/lib/python3/dist-packages"
	rsync -a --exclude test --exclude tests --exclude __pycache__ \
		--exclude idlelib --exclude tkinter --exclude ensurepip \
		--exclude lib2to3 --exclude pydoc_data --exclude 'config-3*' \
		--exclude distutils /usr/lib/python3.11/ "$py/usr/lib/python3.11/" || return 1
	cp -a /usr/lib/python3/dist-packages/yaml /usr/lib/python3/dist-packages/_yaml \
		"$py/usr/lib/python3/dist-packages/" || return 1
	py_adds=(--add "$py/usr/lib/python3.11:/usr/lib/python3.11"
		 --add "$py/usr/lib/python3:/usr/lib/python3"
		 --add "$(realpath /usr/bin/python3.11):/usr/bin/python3"
		 --add "$ynl_dir:/kbpf/ynl"
		 --add "$root/usr/share/doc/kbpf-tools/kbpf.yaml:/usr/share/doc/kbpf-tools/kbpf.yaml")
	for so in /usr/bin/python3.11 $(find "$py" -name '*.so'); do
		ldd "$so" 2>/dev/null | grep -o '/[^ ]*'
	done | sort -u >"$root/py-libs"
}
py_adds=()
if [ -x /usr/bin/python3.11 ] && [ -f "$ynl_dir/cli.py" ] && stage_python; then
	:
else
	py_adds=()
	echo "SKIP: ynl in the VM (needs /usr/bin/python3.11 and $ynl_dir/cli.py: make kunit-kernel)"
fi

if [ "${KBPF_DEB_VM:-1}" = 1 ]; then
	libs=()
	for lib in $(ldd "$kbpfctl" | grep -o '/[^ ]*'; [ ${#py_adds[@]} -gt 0 ] && cat "$root/py-libs"); do
		libs+=(--add "$(realpath "$lib"):$lib")
	done
	last=${kernels[${#kernels[@]}-1]}
	for k in "${kernels[@]}"; do
		ko=$(ls "$root/lib/modules/$k/updates/dkms/"kbpf.ko* 2>/dev/null | head -n 1)
		if [ -z "$ko" ] || [ ! -r "/boot/vmlinuz-$k" ]; then
			not_ok "$k: VM test (no module or no /boot/vmlinuz-$k)"
			continue
		fi
		# The VM's busybox modprobe reads uncompressed modules only.
		case $ko in
		*.xz) xz -dc "$ko" >"$root/kbpf-$k.ko" ;;
		*.zst) zstd -qdc "$ko" >"$root/kbpf-$k.ko" ;;
		*) cp "$ko" "$root/kbpf-$k.ko" ;;
		esac
		extra=()
		[ "$k" = "$last" ] && extra=(${py_adds[@]+"${py_adds[@]}"})
		start=$(date +%s)
		"$REPO/selftests/vm/run" --kernel-image "/boot/vmlinuz-$k" --no-share \
			--add "$root/kbpf-$k.ko:/lib/modules/$k/updates/dkms/kbpf.ko" \
			--add "$kbpfctl:/usr/sbin/kbpfctl" \
			--add "$root/lib/systemd/system/kbpf.service:/lib/systemd/system/kbpf.service" \
			--add "$root/etc/kbpf/kbpf.conf:/etc/kbpf/kbpf.conf" \
			--add "$drop_obj:/etc/kbpf/drop_icmp_echo.bpf.o" \
			--add "$HERE/vm_test.sh:/kbpf/vm_test.sh" \
			"${libs[@]}" ${extra[@]+"${extra[@]}"} \
			--log "$root/vm-$k.log" \
			-- "/kbpf/vm_test.sh $version" >"$root/vm-$k.out" 2>&1
		rc=$?
		grep -E '^(ok|not ok|vm_test)' "$root/vm-$k.out" | sed 's/^/    /'
		if [ $rc -eq 0 ]; then
			ok "$k: packaged module and kbpf.service in the VM ($(($(date +%s) - start))s)"
		else
			tail -n 30 "$root/vm-$k.out" | sed 's/^/    /'
			not_ok "$k: packaged module and kbpf.service in the VM (exit $rc)"
		fi
	done
fi

# ---- 5. remove and purge ---------------------------------------------------
check "dpkg --purge kbpf-tools" dpkg_root --purge kbpf-tools
check "purge removed /etc/kbpf and kbpfctl" test ! -e "$root/etc/kbpf" -a ! -e "$kbpfctl"
finish
