# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec of the kbpf generic netlink family (docs/netlink/kbpf.yaml).
#
#   make netlink-spec-check   the spec against uapi/linux/kbpf.h and the
#                             policies of kmod/genl.c, and against the
#                             kernel's genetlink-c.yaml schema when the
#                             KUnit kernel tree has it

# Debian's python3, whose modules make deps installs (python3-yaml,
# python3-jsonschema), not whatever python3 comes first in PATH.
KBPF_PYTHON ?= /usr/bin/python3
YNL_SCHEMA ?= $(wildcard $(CACHE_DIR)/kunit-kernel/current/Documentation/netlink/genetlink-c.yaml)

.PHONY: netlink-spec-check
netlink-spec-check:
	$(KBPF_PYTHON) selftests/netlink/spec_test.py $(CURDIR) $(YNL_SCHEMA)

CHECK_TARGETS += netlink-spec-check
