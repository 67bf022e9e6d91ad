# SPDX-License-Identifier: GPL-2.0
# kbpf-run: the bpf_conformance plugin runner over the userspace core, and
# the ahead-of-time translator it shares with kbpfctl (userspace-tool/aot/).

KBPF_RUN := $(O)/kbpf-run

.PHONY: kbpf-run
kbpf-run: $(KBPF_RUN)

# bpf2c (KBPF_AOT_*) is defined in mk/core.mk, which the unit runner needs first.

# The corpus's helper set is shared with the conformance suite.
KBPF_RUN_SRCS := userspace-tool/kbpf-run/kbpf-run.c \
		 selftests/cases/conformance_helpers.c $(KBPF_AOT_USER_SRCS)

$(KBPF_RUN): $(KBPF_RUN_SRCS) selftests/cases/conformance_helpers.h $(KBPF_AOT_HDRS) $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -Iuserspace-tool/aot \
		-o $@ $(KBPF_RUN_SRCS) $(KBPF_CORE_LIB) -ldl
