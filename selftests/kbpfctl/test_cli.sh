#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbpfctl command-line tests that need no module: help at every level, the
# grammar's errors, and the one-line errors for a missing file, a file that
# is not a BPF object, an unknown section and a module that is not loaded.
# Offline verification is checked when the binary has the core linked in.
#
# usage: test_cli.sh KBPFCTL BUILD_DIR
#   BUILD_DIR holds examples/*.bpf.o and progs/*.bpf.o (make examples).

set -u

KBPFCTL=${1:?usage: test_cli.sh KBPFCTL BUILD_DIR}
BUILD=${2:?usage: test_cli.sh KBPFCTL BUILD_DIR}
EX=$BUILD/examples
PROGS=$BUILD/progs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass=0
fail=0
skip=0

# run ARGS...: sets $out (stdout+stderr) and $rc.
run() {
	out=$("$KBPFCTL" "$@" 2>&1)
	rc=$?
}

ok() {
	pass=$((pass + 1))
}

bad() {
	fail=$((fail + 1))
	echo "FAIL: $1"
	echo "  command: kbpfctl ${*:2}"
	echo "  exit $rc, output:"
	printf '%s\n' "$out" | sed 's/^/    /'
}

# expect RC TEXT ARGS...: exit status RC and TEXT somewhere in the output.
expect() {
	local want_rc=$1 text=$2
	shift 2
	run "$@"
	if [ "$rc" -ne "$want_rc" ]; then
		bad "expected exit $want_rc" "$@"
	elif [[ "$out" != *"$text"* ]]; then
		bad "expected output containing: $text" "$@"
	else
		ok
	fi
}

# expect_line RC LINE ARGS...: the whole output is exactly LINE.
expect_line() {
	local want_rc=$1 line=$2
	shift 2
	run "$@"
	if [ "$rc" -ne "$want_rc" ]; then
		bad "expected exit $want_rc" "$@"
	elif [ "$out" != "$line" ]; then
		bad "expected exactly: $line" "$@"
	else
		ok
	fi
}

for f in "$EX/drop_icmp_echo.bpf.o" "$EX/count_protocols.bpf.o" \
	 "$PROGS/xdp_section.bpf.o" "$PROGS/unchecked_packet_read.bpf.o"; do
	[ -f "$f" ] || { echo "missing $f: run 'make examples' first"; exit 1; }
done

# ---- help at every level -----------------------------------------------
expect 0 "Usage: kbpfctl [OPTIONS] OBJECT { COMMAND | help }" help
expect 0 "OBJECT := { prog | map | hook | feature | load | apply | events | capture | trace | verify | version }" help
expect 0 "Usage: kbpfctl [OPTIONS] OBJECT" --help
expect 1 "Usage: kbpfctl [OPTIONS] OBJECT"
expect 0 "kbpfctl prog load FILE.o [section SEC] [name NAME]" prog help
expect 0 "kbpfctl prog attach PROG hook HOOK [dev DEV] [prio PRIO]" prog help
expect 0 "PROG := { ID | NAME | id ID | name NAME }" prog help
expect 0 "kbpfctl prog load FILE.o" prog
expect 0 "kbpfctl map dump MAP" map help
expect 0 "kbpfctl map destroy MAP" map help
expect 0 "kbpfctl map create type TYPE key KEY_SIZE value VALUE_SIZE entries MAX_ENTRIES name NAME [flags FLAGS]" map help
expect 0 "kbpfctl map update MAP key BYTES value BYTES [UPDATE_FLAGS]" map help
expect 0 "kbpfctl map lookup MAP key BYTES" map help
expect 0 "kbpfctl map delete MAP key BYTES" map help
expect 0 "BYTES := { BYTE... | hex HEX... }" map help
expect 0 "kbpfctl load FILE.o [map NAME=MAP]..." load help
expect 0 "map NAME=MAP: the object's map NAME is the existing MAP" prog help
expect 0 "SEC := { kbpf | netfilter }[/FAMILY/HOOK[/PRIO]]" prog help
expect 0 "MAP := { ID | NAME | id ID | name NAME }" map
expect 0 "kbpfctl load FILE.o" load help
expect 0 "kbpfctl verify --raw FILE --type TYPE" verify help
expect_line 0 "null" -j prog help

# ---- grammar: prefixes, unknown words, missing arguments ----------------
expect 0 "kbpfctl prog attach PROG" p h
expect 0 "kbpfctl map dump MAP" ma he
expect_line 1 "Error: 'l' is ambiguous; run 'kbpfctl prog help'" prog l x.o
expect_line 1 "Error: unknown command 'frob'; run 'kbpfctl prog help'" prog frob
expect_line 1 "Error: unknown command 'bogus'; run 'kbpfctl map help'" map bogus
expect_line 1 "Error: unknown command 'gadget'; run 'kbpfctl help'" gadget
# The top-level help names every form, -V and verify --raw included.
expect 0 "kbpfctl verify --raw FILE --type TYPE" help
expect 0 "kbpfctl { -V | --version }" help
# -V and --version: the tool's version, no module needed.
expect 0 "kbpfctl $("$(dirname "$0")/../../scripts/version.sh") (uapi abi" -V
expect 0 "kbpfctl $("$(dirname "$0")/../../scripts/version.sh") (uapi abi" --version
expect_line 1 "Error: 'load' needs at least 1 argument, 0 found" prog load
expect_line 1 "Error: 'section' needs at least 1 argument, 0 found" \
	prog load x.o section
expect_line 1 "Error: what is 'bogus'?" prog load x.o bogus
expect_line 1 "Error: 'attach' needs 'hook FAMILY/HOOK'" prog attach 3
expect_line 1 "Error: unknown family 'ipv5' in hook 'ipv5/local_in' (ipv4, ipv6 or netdev)" \
	prog attach 3 hook ipv5/local_in
# netdev/ingress: per interface, and the only hook of its family
expect_line 1 "Error: netdev/ingress is per interface: add 'dev NAME'" \
	prog attach 3 hook netdev/ingress
expect_line 1 "Error: netdev/ingress is per interface: add 'dev NAME'" \
	prog detach 3 hook netdev/ingress
expect_line 1 "Error: netdev/ingress is per interface: add 'dev NAME'" \
	hook set netdev/ingress policy deadline
expect_line 1 "Error: unknown hook 'local_in' in 'netdev/local_in' (netdev has only ingress)" \
	prog attach 3 hook netdev/local_in dev lo
expect 1 "Error: unknown hook 'ingress' in 'ipv6/ingress' (pre_routing, local_in, forward, local_out or post_routing; ingress is netdev/ingress)" \
	prog attach 3 hook ipv6/ingress
expect_line 1 "Error: 'dev' goes with netdev/ingress only: ipv4 and ipv6 hooks see every device" \
	prog attach 3 hook ipv4/local_in dev lo
expect_line 1 "Error: no device 'nosuch0' in this network namespace" \
	prog attach 3 hook netdev/ingress dev nosuch0
expect_line 1 "Error: ifindex 4294967296 is out of range [1, 4294967295]" \
	prog attach 3 hook netdev/ingress dev 4294967296
expect_line 1 "Error: 'dev' needs at least 1 argument, 0 found" \
	prog attach 3 hook netdev/ingress dev
expect_line 1 "Error: hook 'local_in' is not FAMILY/HOOK (e.g. ipv4/local_in)" \
	prog attach 3 hook local_in
expect 1 "Error: unknown hook 'inbound' in 'ipv4/inbound'" \
	prog attach 3 hook ipv4/inbound
expect_line 1 "Error: priority 4294967296 is out of range [-2147483647, 2147483646]" \
	prog attach 3 hook ipv4/local_in prio 4294967296
# Netfilter's own extremes (NF_IP_PRI_FIRST, NF_IP_PRI_LAST) are refused.
expect_line 1 "Error: priority 2147483647 is out of range [-2147483647, 2147483646]" \
	prog attach 3 hook ipv4/local_in prio 2147483647
expect_line 1 "Error: priority -2147483648 is out of range [-2147483647, 2147483646]" \
	prog attach 3 hook ipv4/local_in prio -2147483648
expect_line 1 "Error: priority 'high' is not a number" \
	prog attach 3 hook ipv4/local_in prio high
# scheduling settings are checked before the module is asked
expect_line 1 "Error: deadline '10 us' is not a positive duration such as 500ns, 10us, 2ms" \
	prog attach 3 hook ipv4/local_in deadline "10 us"
expect_line 1 "Error: deadline '0us' is not a positive duration such as 500ns, 10us, 2ms" \
	prog attach 3 hook ipv4/local_in deadline 0us
expect_line 1 "Error: budget 0 is out of range [1, 4294967295]" \
	prog attach 3 hook ipv4/local_in budget 0
expect_line 1 "Error: miss 'maybe': use accept or drop" \
	prog attach 3 hook ipv4/local_in miss maybe
expect_line 1 "Error: mode 'later': use inline or observe" \
	prog attach 3 hook ipv4/local_in mode later
expect_line 1 "Error: what is 'speed'?" prog attach 3 hook ipv4/local_in speed 9
expect_line 1 "Error: usage: prog replace OLD NEW" prog replace 3
expect_line 1 "Error: policy 'fast': use throughput, deadline or default" \
	hook set ipv4/local_in policy fast
expect_line 1 "Error: 'hook set' needs 'policy POLICY' or 'deadline TIME'" \
	hook set ipv4/local_in
expect_line 1 "Error: usage: feature [stats { on | off }]" feature stats maybe
expect 0 "kbpfctl hook set HOOK [dev DEV] [prio PRIO] { policy POLICY | deadline TIME }" hook help
expect 0 "SCHED := { sched-prio N | budget INSNS | deadline TIME |" prog help
expect_line 1 "Error: what is 'now'?" prog unload 3 now
expect_line 1 "Error: expected prog ID or NAME" prog unload
expect_line 1 "Error: prog name 'a_name_that_is_too_long' is longer than 15 characters" \
	prog unload a_name_that_is_too_long
expect_line 1 "Error: 'version' takes no arguments" version now
expect_line 1 "Error: 'run' needs 'data FILE'" prog run 3
expect_line 1 "Error: 'out' needs at least 1 argument, 0 found" prog run 3 data x out
expect 0 "kbpfctl prog run PROG data FILE [out FILE] [repeat N] [hook HOOK]" prog help
expect 0 "[dev DEV] [mark N] [proto ETHERTYPE]" prog help
# The test run's context: checked before the module is asked.
printf '\x45\x00\x00\x14' >"$TMP/run4.pkt"
printf '\x00\x01\x08\x00' >"$TMP/runarp.pkt"
expect_line 1 "Error: unknown hook 'input' in 'ipv4/input' (pre_routing, local_in, forward, local_out or post_routing; ingress is netdev/ingress)" \
	prog run 3 data "$TMP/run4.pkt" hook ipv4/input
expect_line 1 "Error: mark 'high' is not a number" prog run 3 data "$TMP/run4.pkt" mark high
expect_line 1 "Error: mark 4294967296 is out of range [0, 4294967295]" \
	prog run 3 data "$TMP/run4.pkt" mark 0x100000000
expect_line 1 "Error: proto 0 is out of range [1, 65535]" prog run 3 data "$TMP/run4.pkt" proto 0
expect_line 1 "Error: no device 'nosuchdev0' in this network namespace" \
	prog run 3 data "$TMP/run4.pkt" dev nosuchdev0
expect_line 1 "Error: the packet is not IPv4 or IPv6: give 'proto ETHERTYPE' and 'hook netdev/ingress'" \
	prog run 3 data "$TMP/runarp.pkt" mark 1
expect_line 1 "Error: the packet is not IPv4 or IPv6: give 'proto ETHERTYPE'" \
	prog run 3 data "$TMP/runarp.pkt" hook netdev/ingress dev 1
expect_line 1 "Error: proto 0x0806 is not IP: a frame of it is seen at 'hook netdev/ingress' only" \
	prog run 3 data "$TMP/run4.pkt" proto 0x806
expect_line 1 "Error: 'map foo' is not 'map NAME=ID' or 'map NAME=NAME'" load x.o map foo
expect_line 1 "Error: 'map =3' is not 'map NAME=ID' or 'map NAME=NAME'" prog load x.o map =3
expect_line 1 "Error: 'map cnt=' is not 'map NAME=ID' or 'map NAME=NAME'" load x.o map cnt=
expect_line 1 "Error: 'map' needs at least 1 argument, 0 found" load x.o map
expect_line 1 "Error: map name 'a_name_too_long_for_kbpf' is longer than 15 characters" \
	load x.o map cnt=a_name_too_long_for_kbpf
expect_line 1 "Error: map id 4294967296 is out of range [1, 4294967295]" load x.o map cnt=4294967296
expect_line 1 "Error: what is 'section'?" load x.o section kbpf
expect_line 1 "Error: 'create' needs type, key, value, entries and name" map create type hash key 4
expect_line 1 "Error: unknown map type 'tree' (run 'kbpfctl map help')" map create type tree
expect_line 1 "Error: key 'four' is not a number" map create key four
expect_line 1 "Error: 'entries' needs an argument" map create entries
expect_line 1 "Error: map name 'a_name_too_long_for_kbpf' is longer than 15 characters" \
	map create name a_name_too_long_for_kbpf
expect_line 1 "Error: what is 'size'?" map create size 4
expect_line 1 "Error: expected map ID or NAME" map lookup
expect_line 1 "Error: expected map ID or NAME" map update
expect 0 "kbpfctl map resize MAP [entries] ENTRIES" map help
expect_line 1 "Error: expected map ID or NAME" map resize
expect_line 1 "Error: 'resize' needs MAP and the new number of entries" map resize counts
expect_line 1 "Error: 'resize' needs MAP and the new number of entries" map resize counts 4 5
expect_line 1 "Error: entries 'many' is not a number" map resize counts many
expect_line 1 "Error: entries 4294967296 is out of range [0, 4294967295]" map resize counts entries 4294967296
expect 0 "kbpfctl map freeze MAP" map help
expect_line 1 "Error: expected map ID or NAME" map freeze
expect 0 "kbpfctl events MAP [type TYPE] [count N] [timeout SECS]" events help
expect 0 "kbpfctl capture MAP -w FILE [--snaplen N] [count N] [timeout SECS]" capture help
expect 0 "kbpfctl capture MAP -w - | tcpdump -n -r -" capture help
expect_line 1 "Error: expected map ID or NAME" events
expect 0 "kbpfctl trace [PROG] [count N] [timeout SECS]" trace help
expect_line 1 "Error: count 'x' is not a number" trace hello count x
expect_line 1 "Error: what is 'now'?" trace hello now
expect_line 1 "Error: prog name 'a_name_that_is_too_long' is longer than 15 characters" trace a_name_that_is_too_long
expect_line 1 "Error: 'capture' needs '-w FILE' (or '-w -' for stdout)" capture rb
expect_line 1 '{"error":"'"'"'-j'"'"' and '"'"'-w -'"'"' would both write to stdout"}' -j capture rb -w -
expect_line 1 "Error: snaplen 0 is out of range [1, 262144]" capture rb -w x.pcap --snaplen 0
expect_line 1 "Error: snaplen 'big' is not a number" capture rb -w x.pcap --snaplen big
expect_line 1 "Error: count 0 is out of range [1, 4294967295]" events rb count 0
expect_line 1 "Error: timeout 86401 is out of range [0, 86400]" capture rb -w x.pcap timeout 86401
expect_line 1 "Error: '-w' needs at least 1 argument, 0 found" capture rb -w
expect_line 1 "Error: 'type' needs at least 1 argument, 0 found" events rb type
expect_line 1 "Error: what is 'snaplen5'?" events rb snaplen5

# ---- --via: the transport of the control operations ----------------------
expect_line 1 "Error: transport 'ioctl': use dev, netlink or auto" --via ioctl prog list
KBPFCTL_VIA=ioctl expect_line 1 "Error: transport 'ioctl': use dev, netlink or auto" prog list
expect_line 1 '{"error":"transport '"'"'ioctl'"'"': use dev, netlink or auto"}' -j --via ioctl prog list
expect 1 "Usage: kbpfctl [OPTIONS] OBJECT" --via
expect 0 "--via { dev | netlink | auto }" help
# the option wins over the environment
KBPFCTL_VIA=ioctl expect 0 "kbpfctl prog load FILE.o" --via auto prog help

# ---- object files ---------------------------------------------------------
expect_line 1 "Error: cannot open '$TMP/missing.o': No such file or directory" \
	prog load "$TMP/missing.o"
echo "not an object" > "$TMP/text.o"
expect_line 1 "Error: '$TMP/text.o' is not a BPF ELF object" prog load "$TMP/text.o"
expect_line 1 "Error: '/bin/sh' is not a BPF ELF object" load /bin/sh
: > "$TMP/empty.o"
expect_line 1 "Error: '$TMP/empty.o' is not a BPF ELF object" prog load "$TMP/empty.o"
expect_line 1 "Error: '$TMP' is not a BPF ELF object" prog load "$TMP"
expect_line 1 "Error: prog 'not_for_kbpf': unknown section 'xdp' (expected kbpf/FAMILY/HOOK[/PRIO])" \
	prog load "$PROGS/xdp_section.bpf.o"
expect_line 1 "Error: prog 'not_for_kbpf': unknown section 'xdp' (expected kbpf/FAMILY/HOOK[/PRIO])" \
	load "$PROGS/xdp_section.bpf.o"
expect_line 1 "Error: no program in section 'kbpf/ipv6/forward' of '$EX/drop_icmp_echo.bpf.o'" \
	prog load "$EX/drop_icmp_echo.bpf.o" section kbpf/ipv6/forward
expect_line 1 "Error: name 'name_longer_than_15' is longer than 15 characters" \
	prog load "$EX/drop_icmp_echo.bpf.o" name name_longer_than_15

# ---- module not loaded ------------------------------------------------------
NOMOD="Error: kbpf module not loaded (no /dev/kbpf)"
if [ -e /dev/kbpf ]; then
	echo "SKIP: module-not-loaded errors (/dev/kbpf exists)"
	skip=$((skip + 1))
else
	expect_line 1 "$NOMOD" prog load "$EX/drop_icmp_echo.bpf.o"
	expect_line 1 "$NOMOD" prog load "$PROGS/two_hooks.bpf.o" section kbpf/ipv4/local_out/-5
	expect_line 1 "$NOMOD" load "$EX/count_protocols.bpf.o"
	expect_line 1 "$NOMOD" prog list
	expect_line 1 "$NOMOD" prog attach drop_icmp_echo hook ipv4/local_in
	expect_line 1 "$NOMOD" prog detach 1
	expect_line 1 "$NOMOD" prog unload name drop_icmp_echo
	expect_line 1 "$NOMOD" map list
	expect_line 1 "$NOMOD" map dump 1
	expect_line 1 "$NOMOD" map destroy proto_count
	expect_line 1 "$NOMOD" map resize proto_count 64
	expect_line 1 "$NOMOD" events rb count 1
	expect_line 1 "$NOMOD" trace count 1
	expect_line 1 "$NOMOD" trace hello timeout 1
	expect_line 1 "$NOMOD" capture rb -w "$TMP/x.pcap" count 1
	expect_line 1 "$NOMOD" map lookup proto_count key 1 0 0 0
	expect_line 1 "$NOMOD" map update 3 key 1 0 0 0 value 1 0 0 0 0 0 0 0
	expect_line 1 "$NOMOD" map delete 3 key hex 01000000
	expect_line 1 "$NOMOD" map create type hash key 4 value 8 entries 16 name h
	expect_line 1 "$NOMOD" load "$PROGS/shared_map_b.bpf.o" map shared_cnt=shared_cnt
	expect_line 1 "Error: '$PROGS/shared_map_b.bpf.o' has no map 'nope' (its maps: shared_cnt)" \
		load "$PROGS/shared_map_b.bpf.o" map nope=3
	expect_line 1 "Error: '$PROGS/accept_all.bpf.o' has no map 'nope' (its maps: none)" \
		prog load "$PROGS/accept_all.bpf.o" map nope=3
	# Either transport says the same when the module is not loaded.
	expect_line 1 "$NOMOD" --via dev prog list
	expect_line 1 "$NOMOD" --via netlink prog list
	expect_line 1 "$NOMOD" --via dev hook list
	expect_line 1 "$NOMOD" --via dev feature
	expect_line 1 "$NOMOD" --via dev map destroy proto_count
	expect_line 1 '{"error":"kbpf module not loaded (no /dev/kbpf)"}' --via dev -j prog show 3
	KBPFCTL_VIA=dev expect_line 1 "$NOMOD" prog detach 1
	expect 0 "kbpf.ko not loaded" --via dev version
	# version works without the module and says how to load it.
	expect 0 "kbpf.ko not loaded" version
	expect 0 "'modprobe kbpf'" version
	# Not installed for the running kernel (a container has no modules):
	# the usual reason after a kernel upgrade, said as such.
	if ! grep -qs '/kbpf\.ko' "/lib/modules/$(uname -r)/modules.dep"; then
		expect 0 "not installed for Linux $(uname -r)" version
	fi
	expect 0 "kbpfctl $("$(dirname "$0")/../../scripts/version.sh") (uapi abi" version
	expect_line 0 "{\"kbpfctl\":\"$("$(dirname "$0")/../../scripts/version.sh")\",\"uapi_abi_version\":1,\"module\":null}" -j version
	echo -n "0123456789abcdefghij" > "$TMP/pkt"
	expect_line 1 "$NOMOD" prog run 1 data "$TMP/pkt" repeat 10
	expect_line 1 '{"error":"kbpf module not loaded (no /dev/kbpf)"}' -j prog list
	run -p map list
	if [ "$rc" -eq 1 ] && printf '%s' "$out" |
	   python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["error"].startswith("kbpf module") else 1)'; then
		ok
	else
		bad "-p output is not JSON with an error" -p map list
	fi
fi

# ---- apply: the file is checked before the module is asked -------------
printf 'object %s\n    drop_icmp_echo hook ipv4/sideways\n' "$EX/drop_icmp_echo.bpf.o" >"$TMP/bad-hook.conf"
expect 1 "bad-hook.conf:2: see the hook above" apply "$TMP/bad-hook.conf"
# netdev/ingress names its device (by name, looked up before the module is
# asked); ipv4 and ipv6 hooks name none.
conf_line() { printf 'object %s\n    %s\n' "$EX/drop_icmp_echo.bpf.o" "$1" >"$TMP/dev.conf"; }
conf_line "drop_icmp_echo hook netdev/ingress"
expect_line 1 "Error: $TMP/dev.conf:2: netdev/ingress is per interface: add 'dev IFNAME'" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook netdev/ingress dev nosuch0"
expect_line 1 "Error: $TMP/dev.conf:2: no device 'nosuch0' in this network namespace" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook ipv4/local_in dev lo"
expect_line 1 "Error: $TMP/dev.conf:2: 'dev' goes with netdev/ingress only: ipv4 and ipv6 hooks see every device" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook netdev/ingress dev lo dev lo"
expect_line 1 "Error: $TMP/dev.conf:2: 'dev' given twice" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook netdev/ingress dev"
expect_line 1 "Error: $TMP/dev.conf:2: 'dev' needs a value" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook netdev/ingress dev 1"
expect_line 1 "Error: $TMP/dev.conf:2: '1' is no interface name" apply "$TMP/dev.conf"
conf_line "drop_icmp_echo hook netdev/ingress dev lo mtu 9000"
expect_line 1 "Error: $TMP/dev.conf:2: expected 'PROG hook FAMILY/HOOK [dev IFNAME] [prio N]', not 'mtu'" apply "$TMP/dev.conf"
printf 'object %s\n    drop_icmp_echo hook netdev/ingress dev lo\n    drop_icmp_echo hook netdev/ingress prio 5 dev lo\n' \
	"$EX/drop_icmp_echo.bpf.o" >"$TMP/dev.conf"
expect_line 1 "Error: $TMP/dev.conf:3: 'drop_icmp_echo' is already attached to netdev/ingress dev lo on line 2" apply "$TMP/dev.conf"
if [ ! -e /dev/kbpf ]; then
	# Accepted: apply goes on to ask the module.
	conf_line "drop_icmp_echo hook netdev/ingress prio -5 dev lo"
	expect_line 1 "$NOMOD" apply "$TMP/dev.conf"
fi
printf '    drop_icmp_echo hook ipv4/local_in\n' >"$TMP/no-object.conf"
expect_line 1 "Error: $TMP/no-object.conf:1: 'drop_icmp_echo' before the first 'object' line" apply "$TMP/no-object.conf"
printf 'object relative.bpf.o\n' >"$TMP/relative.conf"
expect_line 1 "Error: $TMP/relative.conf:1: object 'relative.bpf.o': give an absolute path" apply "$TMP/relative.conf"
printf 'object %s\n    nosuch hook ipv4/local_in\n' "$EX/drop_icmp_echo.bpf.o" >"$TMP/no-prog.conf"
expect_line 1 "Error: $TMP/no-prog.conf:2: '$EX/drop_icmp_echo.bpf.o' has no program 'nosuch'" apply "$TMP/no-prog.conf"
printf 'object %s\n    drop_icmp_echo hook ipv4/local_in prio x\n' "$EX/drop_icmp_echo.bpf.o" >"$TMP/prio.conf"
expect 1 "prio.conf:2: see the priority above" apply "$TMP/prio.conf"
printf 'object %s\nobject %s\n' "$PROGS/xdp_section.bpf.o" "$EX/drop_icmp_echo.bpf.o" >"$TMP/nohook.conf"
expect 1 "nohook.conf:1: object '$PROGS/xdp_section.bpf.o' cannot be used" apply "$TMP/nohook.conf"
expect_line 1 "Error: cannot open '$TMP/none.conf': No such file or directory" apply "$TMP/none.conf"
expect 0 "Usage: kbpfctl apply FILE [check]" apply help

# ---- offline verification -------------------------------------------------
run verify "$EX/drop_icmp_echo.bpf.o"
if [[ "$out" == *"built without the kbpf core"* ]]; then
	expect 1 "'verify' is unavailable" verify "$EX/drop_icmp_echo.bpf.o"
	echo "SKIP: offline verification (this binary has no core)"
	skip=$((skip + 1))
else
	expect_line 1 "Error: 'verify' needs a FILE" verify
	expect_line 1 "Error: 'verify --raw' needs '--type TYPE'" verify --raw x
	expect_line 1 "Error: unknown program type 'xdp' (netfilter)" verify --raw x --type xdp
	expect_line 1 "Error: unknown profile 'huge' (cloud or embedded)" \
		verify "$EX/drop_icmp_echo.bpf.o" profile huge
	expect_line 1 "Error: cannot open '$TMP/missing.o': No such file or directory" \
		verify "$TMP/missing.o"
	expect_line 1 "Error: prog 'not_for_kbpf': unknown section 'xdp' (expected kbpf/FAMILY/HOOK[/PRIO])" \
		verify "$PROGS/xdp_section.bpf.o"
	printf 'abc' > "$TMP/short.bin"
	expect_line 1 "Error: '$TMP/short.bin' is not a file of whole 8-byte instructions" \
		verify --raw "$TMP/short.bin" --type netfilter
	if [[ "$out" == *"verifier not built"* ]] ||
	   { run verify "$PROGS/accept_all.bpf.o"; [[ "$out" == *"verifier not built"* ]]; }; then
		echo "SKIP: verdicts (the core library has no verifier yet)"
		skip=$((skip + 1))
	else
		expect 0 "prog 'drop_icmp_echo': accepted" verify "$EX/drop_icmp_echo.bpf.o"
		expect 0 "prog 'count_protocols': accepted" verify "$EX/count_protocols.bpf.o"
		expect 0 "prog 'accept_out': accepted" verify "$PROGS/two_hooks.bpf.o"
		# The linker: each program gets only the functions it calls.
		expect 0 "prog 'drop_dead': accepted" verify "$PROGS/two_progs_static.bpf.o"
		expect 0 "prog 'drop_beef': accepted" verify "$PROGS/two_progs_static.bpf.o"
		expect 0 "prog 'legacy_count': accepted" verify "$PROGS/legacy_map.bpf.o"
		expect 0 "prog 'global_counter': accepted" verify "$PROGS/global_counter.bpf.o"
		expect 0 "prog 'typed_stats': accepted" verify "$PROGS/typed_stats.bpf.o"
		# A bpf_loop() callback: ld_imm64 of a static function, linked.
		expect 0 "prog 'loop_callback': accepted" verify "$PROGS/loop_callback.bpf.o"
		for e in hello rate_limit mangle_ttl proto_stats src_counter cidr_block; do
			expect 0 "accepted" verify "$EX/$e.bpf.o"
		done
		expect_line 1 "Error: prog 'uses_kconfig': insn 0: '.kconfig' extern 'CONFIG_HZ' is not supported by kbpf (it has no kernel configuration to fill in)" \
			verify "$PROGS/kconfig_extern.bpf.o"
		expect_line 1 "Error: prog 'uses_core': insn 0: CO-RE relocation (field byte offset of 'nf_ctx_view') is not supported by kbpf; read fields at fixed offsets instead of bpf_core_read()/preserve_access_index" \
			verify "$PROGS/core_reloc.bpf.o"
		expect 1 "Error: verifier rejected program 'unchecked_read'" \
			verify "$PROGS/unchecked_packet_read.bpf.o"
		# r0 = 1; exit  (mov64 imm, exit), little-endian
		printf '\xb7\x00\x00\x00\x01\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' \
			> "$TMP/accept.bin"
		expect 0 "accepted" verify --raw "$TMP/accept.bin" --type netfilter
		# exit with r0 never written
		printf '\x95\x00\x00\x00\x00\x00\x00\x00' > "$TMP/noret.bin"
		expect 1 "Error: verifier rejected program 'noret.bin'" \
			verify --raw "$TMP/noret.bin" --type netfilter
	fi
fi

echo "kbpfctl CLI ($KBPFCTL): $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
