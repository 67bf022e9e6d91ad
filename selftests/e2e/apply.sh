#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbpfctl apply against kbpf.ko, run as root inside the test VM: a
# configuration file (kbpf.conf(5)) made to run, then edited, broken and
# "rebooted" (module reloaded, /run emptied):
#
#  - apply loads and attaches what the file says; ping over loopback is
#    dropped by the drop example;
#  - a second apply changes nothing (same ids, "nothing to change");
#  - a new object joins, a priority moves, a removed object is detached,
#    unloaded and its map destroyed, a changed object file is reloaded;
#  - a syntax error, a program the verifier rejects and a name clash with a
#    hand-loaded program each fail and leave the running state as it was;
#  - programs loaded by hand survive apply;
#  - netdev/ingress attachments by interface name: made, kept, made again
#    on a device created anew, refused for a missing device, detached;
#  - after rmmod, an empty /run and insmod, apply brings everything back.
#
# usage: apply.sh DROP_ICMP_ECHO.bpf.o COUNT_PROTOCOLS.bpf.o UNCHECKED_PACKET_READ.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=apply.sh
usage="usage: apply.sh DROP_ICMP_ECHO.bpf.o COUNT_PROTOCOLS.bpf.o UNCHECKED_PACKET_READ.bpf.o"
drop_obj=${1:?$usage}
count_obj=${2:?$usage}
reject_obj=${3:?$usage}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

conf=$tmp/kbpf.conf
state=/run/kbpf/apply.state

apply() { pretty "" "kbpfctl apply $conf $*"; "$kbpfctl" apply "$conf" "$@" >"$tmp/out" 2>&1; local rc=$?; indent <"$tmp/out"; return $rc; }
# id of a program by name, or nothing
prog_id() { "$kbpfctl" -j prog list 2>/dev/null | grep -o "\"id\":[0-9]*,\"name\":\"$1\"" | grep -o '[0-9]*' | head -n 1; }
# "family/hook/prio ..." of a program's attachments
prog_hooks() {
	"$kbpfctl" prog list "$1" 2>/dev/null |
		sed -n 's/.*attached \(ipv[46]\/[a-z_]*\) *prio \(-\?[0-9]*\).*/\1\/\2/p' | sort | tr '\n' ' '
}
# "dev/prio ..." of a program's netdev/ingress attachments
dev_hooks() {
	"$kbpfctl" prog list "$1" 2>/dev/null |
		sed -n 's/.*attached netdev\/ingress dev \([^ ]*\) *prio \(-\?[0-9]*\).*/\1\/\2/p' | sort | tr '\n' ' '
}
map_exists() { "$kbpfctl" -j map list 2>/dev/null | grep -q "\"name\":\"$1\""; }
snapshot() { "$kbpfctl" -j prog list 2>/dev/null | sed 's/"run_[a-z_]*":[0-9]*//g'; "$kbpfctl" -j map list 2>/dev/null; cat "$state" 2>/dev/null; }

e2e_begin "$drop_obj" "$count_obj" "$reject_obj"
mkdir -p "$tmp/objs"
cp "$drop_obj" "$tmp/objs/drop.bpf.o"
cp "$count_obj" "$tmp/objs/count.bpf.o"
cp "$reject_obj" "$tmp/objs/reject.bpf.o"
rm -rf /run/kbpf
insmod_kbpf

# ---- first apply -------------------------------------------------------
cat >"$conf" <<EOF
# drop pings early
object $tmp/objs/drop.bpf.o
    drop_icmp_echo hook ipv4/local_in prio -200
EOF
check "apply loads and attaches the file's program" apply
id1=$(prog_id drop_icmp_echo)
check "drop_icmp_echo is loaded" test -n "$id1"
check "drop_icmp_echo sits on ipv4/local_in prio -200 only" \
	test "$(prog_hooks drop_icmp_echo)" = "ipv4/local_in/-200 "
check_not "ping over loopback is dropped" ping_in "" 127.0.0.1
check "the state file names the object" grep -q "drop.bpf.o" "$state"

# ---- idempotent ----------------------------------------------------------
before=$(snapshot)
check "a second apply succeeds" apply
check "and says nothing changes" grep -q "nothing to change" "$tmp/out"
check "and changes nothing (same ids, attachments, maps, state)" test "$(snapshot)" = "$before"
check "apply check on an applied file plans nothing" apply check

# ---- a new object, a moved priority ----------------------------------------
cat >>"$conf" <<EOF
object $tmp/objs/count.bpf.o
EOF
sed -i 's/prio -200/prio 50/' "$conf"
check "apply check plans without changing" apply check
check "apply check lists the load" grep -q "load $tmp/objs/count.bpf.o" "$tmp/out"
check "apply check changed nothing" test -z "$(prog_id count_protocols)"
check "apply with a new object and a new priority" apply
check "count_protocols attached where its section says" \
	test "$(prog_hooks count_protocols)" = "ipv4/local_in/0 "
check "drop_icmp_echo kept its id" test "$(prog_id drop_icmp_echo)" = "$id1"
check "drop_icmp_echo moved to prio 50" test "$(prog_hooks drop_icmp_echo)" = "ipv4/local_in/50 "
check "count_protocols' map exists" map_exists proto_count

# ---- errors leave the running state as it was -----------------------------
good=$(cat "$conf")
before=$(snapshot)
printf '%s\nobject %s\n' "$good" "$tmp/objs/reject.bpf.o" >"$conf"
check_not "apply with a program the verifier rejects fails" apply
check "the error names the program" grep -q "unchecked_read" "$tmp/out"
check "after the rejection, nothing changed" test "$(snapshot)" = "$before"
printf '%s\n    drop_icmp_echo hook ipv4/sideways\n' "$good" >"$conf"
check_not "apply with a bad hook fails" apply
check "the error gives file and line" grep -q "kbpf.conf:[0-9]*:" "$tmp/out"
check "after the syntax error, nothing changed" test "$(snapshot)" = "$before"
printf '%s\nobject %s/missing.bpf.o\n' "$good" "$tmp/objs" >"$conf"
check_not "apply with a missing object fails" apply
check "after the missing object, nothing changed" test "$(snapshot)" = "$before"

# A program loaded by hand: apply neither touches it nor takes its name.
printf '%s\n' "$good" >"$conf"
pp "$kbpfctl" prog load "$drop_obj" name by_hand >/dev/null
hand=$(prog_id by_hand)
cp "$drop_obj" "$tmp/objs/drop2.bpf.o"
printf '%s\nobject %s\n' "$good" "$tmp/objs/drop2.bpf.o" >"$conf"
check_not "two objects with one program name fail" apply
drop_only=$(printf 'object %s/objs/drop.bpf.o\n    drop_icmp_echo hook ipv4/local_in prio 50\n' "$tmp")
printf '%s\n' "$drop_only" >"$conf"
pp "$kbpfctl" apply "$conf" >/dev/null
pp "$kbpfctl" prog load "$count_obj" >/dev/null
before=$(snapshot)
printf '%s\n' "$good" >"$conf"
check_not "a program name held by a hand-loaded program fails" apply
check "the error says so" grep -q "already loaded, not by apply" "$tmp/out"
check "after the clash, nothing changed" test "$(snapshot)" = "$before"
pp "$kbpfctl" prog unload count_protocols
pp "$kbpfctl" map destroy proto_count
check "apply leaves a hand-loaded program alone" apply
check "by_hand is still loaded" test "$(prog_id by_hand)" = "$hand"
pp "$kbpfctl" prog unload by_hand

# ---- removal and reload ---------------------------------------------------
printf 'object %s/objs/drop.bpf.o\n    drop_icmp_echo hook ipv4/local_in prio 50\n' "$tmp" >"$conf"
check "apply after removing an object" apply
check "count_protocols is unloaded" test -z "$(prog_id count_protocols)"
check_not "and its map destroyed" map_exists proto_count
check "drop_icmp_echo still has its id" test "$(prog_id drop_icmp_echo)" = "$id1"

cp "$count_obj" "$tmp/objs/drop.bpf.o"
printf 'object %s/objs/drop.bpf.o\n' "$tmp" >"$conf"
check "apply after the object file changed" apply
check "the old program is gone" test -z "$(prog_id drop_icmp_echo)"
check "the new one is loaded and attached" \
	test "$(prog_hooks count_protocols)" = "ipv4/local_in/0 "
check "ping over loopback passes again" ping_in "" 127.0.0.1

# ---- "reboot" --------------------------------------------------------------
cp "$drop_obj" "$tmp/objs/drop.bpf.o"
printf 'object %s/objs/drop.bpf.o\n    drop_icmp_echo hook ipv4/local_in prio -200\n' "$tmp" >"$conf"
check "apply before the reboot" apply
check_rmmod "rmmod kbpf"
rm -rf /run/kbpf
insmod_kbpf
check "apply after the reboot" apply
check "drop_icmp_echo is back on ipv4/local_in prio -200" \
	test "$(prog_hooks drop_icmp_echo)" = "ipv4/local_in/-200 "
check_not "ping over loopback is dropped again" ping_in "" 127.0.0.1

# ---- netdev/ingress, by interface name --------------------------------------
id1=$(prog_id drop_icmp_echo)
pp modprobe veth 2>/dev/null
pp ip link add kbd0 type veth peer name kbd0p || fail "create veth kbd0"
on_exit "ip link del kbd0"
printf 'object %s/objs/drop.bpf.o\n    drop_icmp_echo hook netdev/ingress dev lo\n    drop_icmp_echo hook netdev/ingress dev kbd0 prio 5\n' \
	"$tmp" >"$conf"
check "apply moves drop_icmp_echo to netdev/ingress of lo and kbd0" apply
check "attached at lo prio 0 and kbd0 prio 5, not ipv4/local_in any more" \
	test "$(prog_hooks drop_icmp_echo)|$(dev_hooks drop_icmp_echo)" = "|kbd0/5 lo/0 "
check "drop_icmp_echo kept its id" test "$(prog_id drop_icmp_echo)" = "$id1"
before=$(snapshot)
check "a second apply with devices succeeds" apply
check "and says nothing changes" grep -q "nothing to change" "$tmp/out"
check "and changes nothing" test "$(snapshot)" = "$before"
pp ip link del kbd0
pp ip link add kbd0 type veth peer name kbd0p || fail "create kbd0 again"
check "apply after kbd0 came back" apply
check "attached to the new kbd0 again" \
	test "$(dev_hooks drop_icmp_echo)" = "kbd0/5 lo/0 "
printf 'object %s/objs/drop.bpf.o\n    drop_icmp_echo hook netdev/ingress dev kbd0 prio 5\n    drop_icmp_echo hook netdev/ingress dev nosuch0 prio 5\n' \
	"$tmp" >"$conf"
before=$(snapshot)
check_not "apply naming a missing device fails" apply
check "the error names it" grep -q "no device 'nosuch0' in this network namespace" "$tmp/out"
check "after the missing device, nothing changed" test "$(snapshot)" = "$before"
sed -i '$d' "$conf"
check "apply after dropping lo's line" apply
check "only kbd0 is left" test "$(dev_hooks drop_icmp_echo)" = "kbd0/5 "

# ---- an empty file unloads what apply owns ---------------------------------
: >"$conf"
check "apply of an empty file" apply
check "nothing is loaded any more" test "$(prog_count)" -eq 0
check "ping passes" ping_in "" 127.0.0.1

check_rmmod "rmmod kbpf at the end"
check_kernel_log
e2e_end
