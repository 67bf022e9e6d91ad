#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the test VM (selftests/pkg/deb_test.sh boots it): the module and
# kbpfctl as the Debian packages installed them, on a system that boots.
#
#  - the packaged kbpf.ko (/lib/modules/RELEASE/updates/dkms) is the one
#    modprobe finds and loads, and reports the package version;
#  - the module loads by itself on first use of the netlink family
#    (kbpfctl version) and of /dev/kbpf (char-major-10-249);
#  - kbpf.service's own commands (ExecStartPre, ExecStart) apply
#    /etc/kbpf/kbpf.conf: the drop example drops pings over loopback;
#  - after a simulated reboot (module unloaded, /run emptied) the same
#    commands bring the program back.
#
# usage: vm_test.sh VERSION

set -u
version=${1:?usage: vm_test.sh VERSION}
kbpfctl=/usr/sbin/kbpfctl
rel=$(uname -r)
failures=0
checks=0
pass() { checks=$((checks + 1)); echo "ok $checks - $rel: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok $checks - $rel: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
check_not() { local what=$1; shift; if "$@"; then fail "$what"; else pass "$what"; fi; }
loaded() { grep -q '^kbpf ' /proc/modules; }
ping_lo() { timeout 5 ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1; }

# The packaged module only: not the build tree's that the harness adds.
rm -f "/lib/modules/$rel/extra/kbpf.ko"
depmod
# Run the unit's Exec lines as systemd would (in order, stop at a failure).
service_start()
{
	local line

	while IFS= read -r line; do
		case $line in
		ExecStartPre=*|ExecStart=*)
			echo "[kbpf.service] ${line#*=}"
			${line#*=} || return 1 ;;
		esac
	done </lib/systemd/system/kbpf.service
}
dmesg -c >/dev/null
ip link set lo up

check_not "kbpf is not loaded at first" loaded
check "modprobe kbpf" modprobe kbpf
check "the module modprobe loaded is the packaged one ($version)" \
	test "$(cat /sys/module/kbpf/version 2>/dev/null)" = "$version"
out=$("$kbpfctl" version 2>&1)
echo "$out" | sed 's/^/    /'
check "kbpfctl version reports the module's version over netlink" \
	grep -qx "kbpf.ko $version (abi [0-9]*, profile [a-z]*)" <<<"$out"
check "rmmod kbpf" rmmod kbpf

# First use loads it: the generic netlink alias ...
out=$("$kbpfctl" version 2>&1)
check "kbpfctl version loads the module through the netlink family alias" \
	grep -qx "kbpf.ko $version (abi [0-9]*, profile [a-z]*)" <<<"$out"
rmmod kbpf
# ... and the device: a static node (what modules.devname gives systemd)
# whose open asks for char-major-10-249.
rm -f /dev/kbpf
mknod -m 0600 /dev/kbpf c 10 249
exec 3</dev/kbpf 2>/dev/null && exec 3<&-
check "opening /dev/kbpf (c 10:249) loads the module" loaded
rmmod kbpf 2>/dev/null

# kbpf.service at "boot".
cat >/etc/kbpf/kbpf.conf <<EOF
object /etc/kbpf/drop_icmp_echo.bpf.o
    drop_icmp_echo hook ipv4/local_in prio -100
EOF
check "kbpf.service's commands succeed" service_start
check "the program from kbpf.conf is attached" \
	sh -c "$kbpfctl prog list drop_icmp_echo | grep -q 'attached ipv4/local_in *prio -100'"
check_not "ping over loopback is dropped" ping_lo
check "re-running the service changes nothing" \
	sh -c "service_out=\$($kbpfctl apply /etc/kbpf/kbpf.conf) && echo \"\$service_out\" | grep -q 'nothing to change'"

# The kernel's YNL CLI through the packaged spec, when deb_test.sh staged
# python3 and tools/net/ynl into this VM.
if [ -x /usr/bin/python3 ] && [ -f /kbpf/ynl/cli.py ]; then
	ynl() { python3 /kbpf/ynl/cli.py --spec /usr/share/doc/kbpf-tools/kbpf.yaml --no-schema "$@"; }
	out=$(ynl --do get-version 2>&1)
	echo "$out" | sed 's/^/    /'
	check "ynl --do get-version: the module's release is $version" \
		grep -q "'module-version': '$version'" <<<"$out"
	out=$(ynl --dump prog-get 2>&1)
	echo "$out" | sed 's/^/    /'
	check "ynl --dump prog-get: drop_icmp_echo" grep -q "'prog-name': 'drop_icmp_echo'" <<<"$out"
	has() { grep -q "$1" <<<"$out"; }
	check "ynl --dump prog-get: its attachment, enums decoded (ipv4, local-in, prio -100)" \
		eval "has \"'nf-family': 'ipv4'\" && has \"'nf-hook': 'local-in'\" && has \"'nf-priority': -100\""
	out=$(ynl --do prog-get --json '{"prog-name": "no_such_prog"}' 2>&1)
	check "ynl --do prog-get of a missing program: the module's extack" grep -q "no such program" <<<"$out"
else
	echo "SKIP: ynl (no python3 or /kbpf/ynl in this VM)"
fi

# "Reboot": the module and /run start empty.
check "rmmod kbpf" rmmod kbpf
rm -rf /run/kbpf
check "ping passes without the module" ping_lo
check "kbpf.service's commands after the reboot" service_start
check "the program is attached again" \
	sh -c "$kbpfctl prog list drop_icmp_echo | grep -q 'attached ipv4/local_in *prio -100'"
check_not "ping over loopback is dropped again" ping_lo
check "rmmod kbpf at the end" rmmod kbpf

bad=$(dmesg | grep -Ei 'WARNING:|BUG:|Oops|general protection|UBSAN|KASAN|refcount_t|cut here')
[ -n "$bad" ] && echo "$bad" | sed 's/^/    /'
check "dmesg shows no WARNING, BUG or Oops" test -z "$bad"
echo "1..$checks"
if [ $failures -ne 0 ]; then
	echo "vm_test: $failures of $checks checks FAILED on $rel"
	exit 1
fi
echo "vm_test: all $checks checks passed on $rel"
