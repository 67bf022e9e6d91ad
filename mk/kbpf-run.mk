# SPDX-License-Identifier: GPL-2.0
# kbpf-run: the bpf_conformance plugin runner over the userspace core, and
# the ahead-of-time translator it shares with kbpfctl (userspace-tool/aot/).

KBPF_RUN := $(O)/kbpf-run

.PHONY: kbpf-run
kbpf-run: $(KBPF_RUN)

# bpf2c and the C header it writes next to its output, as a string.
KBPF_AOT_HDRS := $(wildcard userspace-tool/aot/*.h) kmod/core/kbpf_native.h
KBPF_AOT_GEN := $(O)/gen/bpf2c_header.c
KBPF_AOT_SRCS := userspace-tool/aot/bpf2c.c $(KBPF_AOT_GEN)
KBPF_AOT_USER_SRCS := $(KBPF_AOT_SRCS) userspace-tool/aot/aot_user.c

$(KBPF_AOT_GEN): kmod/core/kbpf_native.h
	@mkdir -p $(dir $@)
	{ echo '/* Generated from kmod/core/kbpf_native.h by mk/kbpf-run.mk. */'; \
	  echo 'const char bpf2c_native_header[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

# The corpus's helper set is shared with the conformance suite.
KBPF_RUN_SRCS := userspace-tool/kbpf-run/kbpf-run.c \
		 selftests/cases/conformance_helpers.c $(KBPF_AOT_USER_SRCS)

$(KBPF_RUN): $(KBPF_RUN_SRCS) selftests/cases/conformance_helpers.h $(KBPF_AOT_HDRS) $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -Iuserspace-tool/aot \
		-o $@ $(KBPF_RUN_SRCS) $(KBPF_CORE_LIB) -ldl
