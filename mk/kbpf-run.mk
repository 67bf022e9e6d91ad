# SPDX-License-Identifier: GPL-2.0
# kbpf-run: the bpf_conformance plugin runner over the userspace core, and
# the ahead-of-time translator it shares with kbpfctl (userspace-tool/aot/).

KBPF_RUN := $(O)/kbpf-run

.PHONY: kbpf-run
kbpf-run: $(KBPF_RUN)

# bpf2c (KBPF_AOT_*) is defined in mk/core.mk, which the unit runner needs first.

# The corpus's helper set is kbpf-run's; the conformance suite uses it too
# (KBPF_CONFORMANCE_HELPERS, mk/core.mk).  Nothing here is under selftests/.
KBPF_RUN_SRCS := userspace-tool/kbpf-run/kbpf-run.c \
		 $(KBPF_CONFORMANCE_HELPERS) $(KBPF_AOT_USER_SRCS)

$(KBPF_RUN): $(KBPF_RUN_SRCS) $(KBPF_CONFORMANCE_HELPERS:.c=.h) $(KBPF_AOT_HDRS) $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -Iuserspace-tool/aot \
		-o $@ $(KBPF_RUN_SRCS) $(KBPF_CORE_LIB) -ldl
