#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every hook point with real traffic, run as root inside the test VM: one
# program (hook_probe) attached to the five ipv4 hooks, the five ipv6 hooks
# and netdev/ingress of a router namespace counts the echo requests each
# hook sees; every step of traffic must move exactly the counters of the
# hooks its packets cross, in both families, and the context must carry the
# right device and protocol.  Then every hook point drops in turn: the ping
# fails, the program counted the request and the hook point's drop counter
# moved.  Then netdev/ingress specifics: non-IP frames (ARP), bad attach
# requests with their reasons, one hook point per device, renames, a device
# deleted or moved to another namespace while attached, the namespace
# deleted while attached, and rmmod.
#
#   $na: a0 10.210.1.1     $nr: r0 10.210.1.2  r1 10.210.2.2    $nc: c0 10.210.2.1
#        fd10:1::1  ------->     fd10:1::2      fd10:2::2 ------>    fd10:2::1
#                                (forwarding; every hook; netdev/ingress on r0)
#
# usage: hooks.sh HOOK_PROBE.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

# Checks that eval a string expand it when they run, not before:
# shellcheck disable=SC2016
set -u
e2e_name=hooks.sh
probe_obj=${1:?usage: hooks.sh HOOK_PROBE.bpf.o}
na=kbpf-hk-a
nr=kbpf-hk-r
nc=kbpf-hk-c
nx=kbpf-hk-x
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { pretty "$nr" "kbpfctl $*"; ip netns exec "$nr" "$kbpfctl" "$@"; }
ctl_out() { ip netns exec "$nr" "$kbpfctl" "$@" 2>&1; }
ctl_in() { local ns=$1; shift; pretty "$ns" "kbpfctl $*"; ip netns exec "$ns" "$kbpfctl" "$@"; }

# hook_probe's slot: hook number * 3 + kind (0 ipv4, 1 ipv6, 2 neither).
# Without subshells: a fork costs tens of ms in the TCG guest.
declare -A hook_nums=([pre_routing]=0 [local_in]=1 [forward]=2 [local_out]=3
		      [post_routing]=4 [ingress]=5)
slot() { echo $((hook_nums[$1] * 3 + $2)); }
ip_hooks="pre_routing local_in forward local_out post_routing"

# ping1 NS ADDR [WAIT]: one echo request (ping -6 for an IPv6 ADDR).
ping1()
{
	local ns=$1 addr=$2 wait=${3:-2} fam=-4

	[[ $addr == *:* ]] && fam=-6
	timeout 5 "$(command -v ip)" netns exec "$ns" ping "$fam" -c 1 -W "$wait" "$addr" >/dev/null 2>&1
}

# slot_of DUMP KEY: the typed value of KEY in a map dump.
slot_of()
{
	local v

	v=$(sed -n "s/^key: $2  value: //p" <<<"$1")
	echo "${v:-none}"
}

# map_value MAP KEY: the value of an array map of hook_probe in $nr.
map_value() { slot_of "$(ctl_out map dump name "$1")" "$2"; }

# read_dump DUMP: values[KEY] for every "key: KEY  value: VALUE" line.
declare -A values
read_dump()
{
	local key value _

	values=()
	while read -r _ key _ value; do
		values[$key]=$value
	done <<<"$1"
}

# The counters of the six slots of one kind, "pre_routing=N ... ingress=N",
# from one dump.
counters()
{
	local kind=$1 h out=

	read_dump "$(ctl_out map dump name seen)"
	for h in $ip_hooks ingress; do
		out+="$h=${values[$((hook_nums[$h] * 3 + kind))]:-none} "
	done
	echo "$out"
}

# step KIND WHAT NS ADDR HOOKS...: one ping from NS to ADDR must work and
# move by one exactly the counters of HOOKS, none of the others.
step()
{
	local kind=$1 what=$2 ns=$3 addr=$4 kv h n before after want=

	shift 4
	before=$(counters "$kind")
	check "$what: ping $addr from $ns works" ping1 "$ns" "$addr"
	after=$(counters "$kind")
	for kv in $before; do
		h=${kv%%=*} n=${kv#*=}
		[[ " $* " == *" $h "* ]] && n=$((n + 1))
		want+="$h=$n "
	done
	if [ "$after" = "$want" ]; then
		pass "$what: counters moved exactly at: $*"
	else
		fail "$what: counters are '$after', expected '$want'"
	fi
}

ifindex_in() { ip -n "$1" -o link show "$2" | cut -d: -f1; }

# no_dad NS DEV: addresses on DEV are usable at once (before the link is up).
no_dad()
{
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		"net.ipv6.conf.$2.accept_dad=0"
}

setup_topology()
{
	pp modprobe veth 2>/dev/null
	for n in "$na" "$nr" "$nc" "$nx"; do
		pp ip netns add "$n" || die "create $n"
		on_exit "ip netns del $n"
		ip -n "$n" link set lo up
	done
	pp ip link add a0 netns "$na" type veth peer name r0 netns "$nr" ||
		die "create veth a0-r0"
	pp ip link add c0 netns "$nc" type veth peer name r1 netns "$nr" ||
		die "create veth c0-r1"
	# No duplicate address detection on these links, for the link-local
	# addresses too (the global ones are added nodad): a router solicits
	# the neighbour of a packet it forwards from its link-local address,
	# and sends nothing while that address is tentative (ndisc_send_ns()),
	# 1-2 s after the link came up -- so the first forwarded IPv6 pings
	# could fail.
	no_dad "$na" a0
	no_dad "$nr" r0
	no_dad "$nr" r1
	no_dad "$nc" c0
	ip -n "$na" addr add 10.210.1.1/24 dev a0
	ip -n "$na" addr add fd10:1::1/64 dev a0 nodad
	ip -n "$nr" addr add 10.210.1.2/24 dev r0
	ip -n "$nr" addr add fd10:1::2/64 dev r0 nodad
	ip -n "$nr" addr add 10.210.2.2/24 dev r1
	ip -n "$nr" addr add fd10:2::2/64 dev r1 nodad
	ip -n "$nc" addr add 10.210.2.1/24 dev c0
	ip -n "$nc" addr add fd10:2::1/64 dev c0 nodad
	ip -n "$na" link set a0 up
	ip -n "$nr" link set r0 up
	ip -n "$nr" link set r1 up
	ip -n "$nc" link set c0 up
	# An IPv6 gateway route is refused until the veth's carrier is up,
	# which the link watch reports asynchronously: retry, do not assume.
	wait_for 10 ip -n "$na" route replace default via 10.210.1.2 ||
		die "ipv4 default route in $na"
	wait_for 10 ip -n "$na" -6 route replace default via fd10:1::2 ||
		die "ipv6 default route in $na"
	wait_for 10 ip -n "$nc" route replace default via 10.210.2.2 ||
		die "ipv4 default route in $nc"
	wait_for 10 ip -n "$nc" -6 route replace default via fd10:2::2 ||
		die "ipv6 default route in $nc"
	ip netns exec "$nr" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$nr" sysctl -qw net.ipv6.conf.all.forwarding=1
	# The first pings wait for neighbour discovery: a few tries.
	wait_for 10 ping1 "$na" 10.210.2.1 ||
		die "ipv4: $na reaches $nc through $nr before kbpf"
	wait_for 10 ping1 "$na" fd10:2::1 || {
		# Should it fail again: addresses (tentative?), routes and
		# neighbours (FAILED?) of the three namespaces.
		for n in "$na" "$nr" "$nc"; do
			ip -n "$n" -6 addr; ip -n "$n" -6 route; ip -n "$n" -6 neigh
		done >&2
		die "ipv6: $na reaches $nc through $nr before kbpf"
	}
	wait_for 10 ping1 "$nr" fd10:2::1 ||
		die "ipv6: $nr reaches $nc before kbpf"
}

attach_everywhere()
{
	local f h

	ctl load "$probe_obj" || die "kbpfctl load hook_probe.bpf.o in $nr"
	check "SEC(\"kbpf/netdev/ingress\") is loaded, not attached" attachments_are 0
	for f in ipv4 ipv6; do
		for h in $ip_hooks; do
			ctl prog attach hook_probe hook "$f/$h" ||
				die "attach hook_probe to $f/$h"
		done
	done
	ctl prog attach hook_probe hook netdev/ingress dev r0 ||
		die "attach hook_probe to netdev/ingress dev r0"
	check "11 attachments" attachments_are 11
	check "hook list shows netdev/ingress dev r0" \
		eval 'ctl_out hook list | grep -q "^netdev/ingress dev r0 prio 0 "'
	check "prog show shows the attachment to netdev/ingress dev r0" \
		eval 'ctl_out prog show name hook_probe | grep -q "attached netdev/ingress dev r0 "'
	check "hook list -j names the device and its ifindex" \
		eval "ctl_out -j hook list | grep -q '\"hook\":\"ingress\",\"dev\":\"r0\",\"ifindex\":$(ifindex_in "$nr" r0),'"
}

# Traffic through, into and out of the router, in each family.
check_counts()
{
	local kind=$1 fam=$2 a_c a_r r_c

	if [ "$fam" = ipv4 ]; then
		a_c=10.210.2.1 a_r=10.210.1.2 r_c=10.210.2.1
	else
		a_c=fd10:2::1 a_r=fd10:1::2 r_c=fd10:2::1
	fi
	step "$kind" "$fam forwarded" "$na" "$a_c" pre_routing forward post_routing ingress
	step "$kind" "$fam to the router" "$na" "$a_r" pre_routing local_in ingress
	step "$kind" "$fam from the router" "$nr" "$r_c" local_out post_routing
}

# What the context said: ifindex of the device, protocol as skb->protocol.
check_context()
{
	local r0 r1 got dump

	r0=$(ifindex_in "$nr" r0)
	r1=$(ifindex_in "$nr" r1)
	dump=$(ctl_out map dump name last_ifindex)
	for want in "ingress 0 $r0" "ingress 1 $r0" "forward 0 $r0" \
		    "local_in 1 $r0" "local_out 0 $r1" "post_routing 1 $r1"; do
		# shellcheck disable=SC2086 # split into hook, kind, ifindex
		set -- $want
		got=$(slot_of "$dump" "$(slot "$1" "$2")")
		if [ "$got" = "$3" ]; then
			pass "ctx->ifindex at $1 (kind $2) is $3"
		else
			fail "ctx->ifindex at $1 (kind $2) is $got, expected $3"
		fi
	done
	# ETH_P_IP 0x0800 and ETH_P_IPV6 0x86dd in network order, read as a
	# little-endian u32.
	dump=$(ctl_out map dump name last_protocol)
	got="$(slot_of "$dump" "$(slot ingress 0)") $(slot_of "$dump" "$(slot ingress 1)")"
	if [ "$got" = "8 56710" ]; then
		pass "ctx->protocol at netdev/ingress is ETH_P_IP and ETH_P_IPV6"
	else
		fail "ctx->protocol at netdev/ingress is '$got', expected '8 56710'"
	fi
}

# ARP is no IP: at netdev/ingress the program sees it as neither family.
check_non_ip()
{
	local s before after

	s=$(slot ingress 2)
	before=$(map_value seen "$s")
	ip -n "$na" neigh flush dev a0
	ping1 "$na" 10.210.1.2 || fail "ping after a neighbour flush"
	after=$(map_value seen "$s")
	if [ "$after" != none ] && [ "$after" -gt "$before" ]; then
		pass "netdev/ingress saw the ARP frames as neither ipv4 nor ipv6 ($before -> $after)"
	else
		fail "netdev/ingress counted no non-IP frame ($before -> $after)"
	fi
	# ETH_P_ARP 0x0806 in network order, as a little-endian u32.
	check "ctx->protocol of the ARP frame is ETH_P_ARP" \
		eval '[ "$(map_value last_protocol "$s")" = 1544 ]'
}

# hook_drops LIST FAMILY/HOOK: the drop counter of that hook point in LIST
# (hook list's output).
hook_drops()
{
	local v

	v=$(grep -A1 "^$2[ /]" <<<"$1" | sed -n 's/.*drops \([0-9]*\).*/\1/p' | head -n 1)
	echo "${v:-none}"
}

# The program drops echo requests at SLOT - 1 only; 0: nowhere.
set_drop_slot()
{
	ctl map update drop_slot key 0 0 0 0 value "$1" 0 0 0 >/dev/null ||
		fail "set drop_slot to $1"
}

# drop_at FAMILY HOOK KIND NS ADDR: a program dropping at one hook point
# stops the ping there; the program counted the request, the hook point
# one drop.  Compares with the previous drop_at's dump and hook list.
drop_at()
{
	local fam=$1 h=$2 kind=$3 ns=$4 addr=$5 hp="$1/$2"
	local s dump list seen0 seen1 d0 d1

	s=$((hook_nums[$h] * 3 + kind))
	[ "$fam" = netdev ] && hp="netdev/ingress dev r0"
	set_drop_slot $((s + 1))
	check_not "drop at $hp: ping $addr from $ns fails" ping1 "$ns" "$addr" 1
	dump=$(ctl_out map dump name seen)
	list=$(ctl_out hook list)
	read_dump "$last_dump"
	seen0=${values[$s]:-none}
	read_dump "$dump"
	seen1=${values[$s]:-none}
	d0=$(hook_drops "$last_list" "$fam/$h")
	d1=$(hook_drops "$list" "$fam/$h")
	if [ "$seen1" = $((seen0 + 1)) ] && [ "$d1" = $((d0 + 1)) ]; then
		pass "drop at $hp: the program counted the request, the hook point one drop"
	else
		fail "drop at $hp: seen $seen0 -> $seen1, hook point drops $d0 -> $d1 (want +1 and +1)"
	fi
	last_dump=$dump
	last_list=$list
}

check_drops()
{
	last_dump=$(ctl_out map dump name seen)
	last_list=$(ctl_out hook list)
	drop_at ipv4 pre_routing 0 "$na" 10.210.2.1
	drop_at ipv4 local_in 0 "$na" 10.210.1.2
	drop_at ipv4 forward 0 "$na" 10.210.2.1
	drop_at ipv4 local_out 0 "$nr" 10.210.2.1
	drop_at ipv4 post_routing 0 "$na" 10.210.2.1
	drop_at ipv6 pre_routing 1 "$na" fd10:2::1
	drop_at ipv6 local_in 1 "$na" fd10:1::2
	drop_at ipv6 forward 1 "$na" fd10:2::1
	drop_at ipv6 local_out 1 "$nr" fd10:2::1
	drop_at ipv6 post_routing 1 "$na" fd10:2::1
	drop_at netdev ingress 0 "$na" 10.210.2.1
	set_drop_slot 0
	check "every drop undone: ipv4 and ipv6 work again" \
		eval 'ping1 "$na" 10.210.2.1 && ping1 "$na" fd10:2::1'
}

check_bad_attach()
{
	local xi

	expect_refusal "netdev/ingress without a device" \
		"netdev/ingress is per interface: add 'dev NAME'" \
		ctl_out prog attach hook_probe hook netdev/ingress
	expect_refusal "an unknown device" \
		"no device 'nosuch0' in this network namespace" \
		ctl_out prog attach hook_probe hook netdev/ingress dev nosuch0
	expect_refusal "a device of another namespace, by name" \
		"no device 'c0' in this network namespace" \
		ctl_out prog attach hook_probe hook netdev/ingress dev c0
	# By ifindex the module decides: one that exists only in $nx.
	pp ip -n "$nx" link add x0 index 4321 type veth peer name x1 ||
		fail "create x0 with ifindex 4321 in $nx"
	xi=$(ifindex_in "$nx" x0)
	expect_refusal "a device of another namespace, by ifindex" \
		"no device with ifindex $xi in this network namespace" \
		ctl_out prog attach hook_probe hook netdev/ingress dev "$xi"
	expect_refusal "a device for an ipv4 hook" \
		"'dev' goes with netdev/ingress only" \
		ctl_out prog attach hook_probe hook ipv4/local_in dev r0
	expect_refusal "a hook netdev does not have" \
		"netdev has only ingress" \
		ctl_out prog attach hook_probe hook netdev/local_in dev r0
	expect_refusal "ingress of an IP family" \
		"ingress is netdev/ingress" \
		ctl_out prog attach hook_probe hook ipv4/ingress
	expect_refusal "the same device twice" \
		"already attached to this hook" \
		ctl_out prog attach hook_probe hook netdev/ingress dev r0
	expect_refusal "detach from netdev/ingress without a device" \
		"netdev/ingress is per interface" \
		ctl_out prog detach hook_probe hook netdev/ingress
	check "nothing half-attached: still 11 attachments" attachments_are 11
}

# One hook point per device; a rename shows; deleting the device detaches.
check_device_lifetime()
{
	local before

	ctl prog attach hook_probe hook netdev/ingress dev r1 ||
		fail "attach to netdev/ingress dev r1 too"
	check "two netdev/ingress hook points, r0 and r1" \
		eval '[ "$(ctl_out hook list | grep -c "^netdev/ingress dev r[01] ")" = 2 ]'
	ctl hook set netdev/ingress dev r1 policy deadline deadline 50us ||
		fail "hook set on netdev/ingress dev r1"
	check "hook set changed only r1's hook point" \
		eval 'ctl_out hook list | grep -q "^netdev/ingress dev r1 prio 0  policy deadline" &&
		      ctl_out hook list | grep -q "^netdev/ingress dev r0 prio 0  policy throughput"'
	ctl prog detach hook_probe hook netdev/ingress dev r1 ||
		fail "detach from netdev/ingress dev r1"
	check "detached from r1 only: 11 attachments" attachments_are 11
	ctl prog attach hook_probe hook netdev/ingress dev r1 ||
		fail "attach to netdev/ingress dev r1 again"

	ip -n "$nr" link set r1 down
	pp ip -n "$nr" link set r1 name r1new
	check "a renamed device shows its new name" \
		eval 'ctl_out hook list | grep -q "^netdev/ingress dev r1new "'

	before=$(attachment_count)
	pp ip -n "$nr" link del r1new
	check "deleting the device detached its program ($before -> $((before - 1)))" \
		attachments_are $((before - 1))
	check "hook list has no hook point of the deleted device" \
		eval '! ctl_out hook list | grep -q "dev r1new"'
	check "the program still runs at netdev/ingress dev r0" \
		eval 'ctl_out hook list | grep -q "^netdev/ingress dev r0 "'

	# A device moving to another namespace leaves its hook points behind.
	pp ip -n "$nr" link add m0 type veth peer name m1 || fail "create veth m0-m1"
	ctl prog attach hook_probe hook netdev/ingress dev m0 ||
		fail "attach to netdev/ingress dev m0"
	before=$(attachment_count)
	pp ip -n "$nr" link set m0 netns "$nx"
	check "moving the device to $nx detached its program" \
		attachments_are $((before - 1))
	check "hook list has no hook point of the moved device" \
		eval '! ctl_out hook list | grep -q "dev m0"'
}

# Namespace deletion with a device's hook point, and rmmod with another.
check_teardown()
{
	local before

	ctl_in "$na" load "$probe_obj" || fail "load hook_probe in $na"
	ctl_in "$na" prog attach hook_probe hook netdev/ingress dev a0 ||
		fail "attach in $na to netdev/ingress dev a0"
	ctl_in "$na" prog attach hook_probe hook ipv4/local_in ||
		fail "attach in $na to ipv4/local_in"
	ping1 "$nr" 10.210.1.1 || fail "ping $nr -> $na through a0's ingress"
	before=$(attachment_count)
	# a0's veth peer r0 goes with it, and with r0 $nr's ingress attachment.
	pp ip netns del "$na"
	check "deleting $na removed its two attachments and r0's" \
		wait_for 15 attachments_are $((before - 3))
	check "no hook point of r0 is left in $nr" \
		eval '! ctl_out hook list | grep -q "dev r0"'
	check "$nr's IP hook points are still there" \
		eval '[ "$(ctl_out hook list | grep -c "^ipv[46]/")" = 10 ]'
	# rmmod must unhook a device's ingress too: lo's, with traffic on it.
	ctl prog attach hook_probe hook netdev/ingress dev lo ||
		fail "attach to netdev/ingress dev lo"
	before=$(map_value seen "$(slot ingress 0)")
	check "ping 127.0.0.1 in $nr works" ping1 "$nr" 127.0.0.1
	check "netdev/ingress of lo counted its echo request" \
		eval '[ "$(map_value seen "$(slot ingress 0)")" = $((before + 1)) ]'
	check_rmmod "rmmod with netdev/ingress attached"
}

e2e_begin "$probe_obj"
setup_topology
insmod_kbpf
attach_everywhere
check_counts 0 ipv4
check_counts 1 ipv6
check_context
check_non_ip
check_drops
check_bad_attach
check_device_lifetime
check_teardown
check_kernel_log
e2e_end
