#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package kbpf needs. Safe to run again: apt skips
# what is already installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/debian-packages.txt")
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
missing=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $pkgs 2>/dev/null |
	  awk '$2 != "installed" { print $1 }' || true)
for p in $pkgs; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		missing="$missing $p"
done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ -z "${missing// /}" ]; then
	echo "deps: all packages present"
	exit 0
fi
echo "deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing
