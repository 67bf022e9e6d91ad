#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot a VM with the stock Debian kernel, load kbpf.ko, load
# and attach examples/drop_icmp_echo.bpf.c with kbpfctl, and show a ping
# being dropped, then passing again after detach, with `kbpfctl prog list`
# along the way.  The same file runs on the host (boots the VM) and, with
# --in-vm, inside it (the narrated part).  Exits nonzero if anything the
# narration claims did not happen.
#
#   scripts/demo.sh [selftests/vm/run OPTIONS]
#
#   +---------------------+             +----------------------------+
#   | netns client        |             | netns server               |
#   |  veth0 10.200.0.1   |<--- veth -->|  veth0 10.200.0.2          |
#   |  ping 10.200.0.2  ----------------->  ipv4/local_in:           |
#   +---------------------+             |    drop_icmp_echo (kbpf)   |
#                                       +----------------------------+

set -euo pipefail

# --- inside the VM ---------------------------------------------------------

step=0
bold='' cyan='' red='' off=''
if [ "${KBPF_DEMO_COLOR:-0}" = 1 ]; then
	bold=$'\033[1m' cyan=$'\033[36m' red=$'\033[31m' off=$'\033[0m'
fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$off"; }
explain() { printf '    %s\n' "$@"; }
# Show a command the way a user would type it, then run it.
show() { printf '%s%s$%s %s\n' "$cyan" "${prompt:-vm}" "$off" "$*"; "$@"; }
server() { prompt="server" show ip netns exec server "$@"; }
client() { prompt="client" show ip netns exec client "$@"; }
chapter() { step=$((step + 1)); say "$step. $*"; }
broken() { printf '\n%sdemo: %s%s\n' "$red" "$*" "$off"; exit 1; }

# Bounded, in case the kernel lacks alarm() (POSIX timers); full path
# because busybox timeout would run its own ip applet.
ping_server()
{
	printf '%sclient$%s %s\n' "$cyan" "$off" "ip netns exec client ping -c 3 -W 1 10.200.0.2"
	timeout 15 "$(command -v ip)" netns exec client ping -c 3 -W 1 10.200.0.2
}

in_vm()
{
	local obj=$1

	trap 'broken "the last command failed (exit $?)"' ERR
	chapter "Load the kbpf module"
	explain "kbpf.ko is a second BPF runtime: /dev/kbpf for loading programs," \
		"a generic netlink family for managing them, netfilter hooks to run them."
	cd "$(dirname "$KBPF_KO")"
	show insmod kbpf.ko
	cd /
	show ls -l /dev/kbpf
	show kbpfctl version

	chapter "Two network namespaces joined by a veth pair"
	show ip netns add client
	show ip netns add server
	show ip link add veth0 netns client type veth peer name veth0 netns server
	show ip -n client addr add 10.200.0.1/24 dev veth0
	show ip -n server addr add 10.200.0.2/24 dev veth0
	show ip -n client link set veth0 up
	show ip -n server link set veth0 up
	explain "client 10.200.0.1 <--veth--> server 10.200.0.2; first, ping works:"
	ping_server || broken "ping fails before any program is loaded"

	chapter "Load and attach the example program in the server"
	explain "examples/drop_icmp_echo.bpf.c: plain C against libbpf's bpf_helpers.h," \
		"built with clang -target bpf. Its SEC(\"kbpf/ipv4/local_in\") says where" \
		"\`kbpfctl load\` attaches it: the IPv4 LOCAL_IN hook of the current netns."
	server kbpfctl load "$obj"
	server kbpfctl prog list

	chapter "Ping the server: echo requests are dropped"
	if ping_server; then
		broken "ping got through although drop_icmp_echo is attached"
	fi
	explain "100% loss: the verifier accepted the program, the interpreter ran" \
		"it on every packet, and it returned DROP for ICMP echo requests."
	explain "The same list as JSON (counters show the program ran):"
	server kbpfctl -j prog list
	echo

	chapter "Detach: pings pass again"
	server kbpfctl prog detach drop_icmp_echo
	ping_server || broken "ping still fails after detach"
	explain "Detached but still loaded; \`prog list\` shows no attachment:"
	server kbpfctl prog list

	chapter "Unload the program and the module"
	server kbpfctl prog unload drop_icmp_echo
	explain "Nothing is loaded any more, so the list is empty:"
	server kbpfctl prog list
	show ip netns del client
	show ip netns del server
	show rmmod kbpf
	if dmesg | grep -Eq 'WARNING:|BUG:|Oops|leak'; then
		dmesg | grep -E 'WARNING:|BUG:|Oops|leak'
		broken "the kernel log shows a warning, bug or leak"
	fi
	say "Demo done: dropped while attached, passing after detach, nothing left behind."
}

# --- on the host -----------------------------------------------------------

on_host()
{
	local here repo o obj color

	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	repo=$(cd "$here/.." && pwd)
	o=${O:-$repo/build}
	obj=$o/examples/drop_icmp_echo.bpf.o
	for f in "$repo/kbpf.ko" "$o/kbpfctl.static" "$obj"; do
		[ -e "$f" ] || { echo "demo: $f missing (run: make demo)" >&2; exit 2; }
	done
	echo "demo: booting Debian's kernel under QEMU (TCG, a few seconds)..."
	color=0
	[ -t 1 ] && color=1
	O=$o exec "$repo/selftests/vm/run" --timeout 180 --env "KBPF_DEMO_COLOR=$color" \
		--add "$here/demo.sh:/kbpf/demo.sh" \
		--add "$obj:/kbpf/drop_icmp_echo.bpf.o" "$@" -- \
		/kbpf/demo.sh --in-vm /kbpf/drop_icmp_echo.bpf.o
}

if [ "${1:-}" = --in-vm ]; then
	in_vm "$2"
else
	on_host "$@"
fi
