// SPDX-License-Identifier: GPL-2.0
/*
 * Exports of the core API for the KUnit suite module (kbpf_kunit.ko).
 *
 * The core is linked into kbpf.ko and nothing outside the module calls it,
 * so it exports nothing.  When the kernel has KUnit, kbpf_kunit.ko tests the
 * core inside the real kbpf.ko instead of a second copy of it, and needs
 * the public API of kmod/core/kbpf_core.h.  EXPORT_SYMBOL_IF_KUNIT puts
 * every symbol in the EXPORTED_FOR_KUNIT_TESTING namespace, so only a module
 * that imports that namespace can bind to them.
 *
 * Without KUnit (Debian's stock 6.1 and 6.12 kernels) this file is empty.
 */

#include <linux/kconfig.h>

#if IS_ENABLED(CONFIG_KUNIT)

#include <linux/export.h>
#include <kunit/visibility.h>

#include "core/kbpf_core.h"

/*
 * Every function and table of kbpf_core.h, in the header's order.  The
 * exports cannot sit next to the definitions as usual: core files include
 * no kernel header (env.h), so checkpatch's "should immediately follow its
 * function" warning is expected for this list.
 */

/* profiles */
EXPORT_SYMBOL_IF_KUNIT(kbpf_limits_cloud);
EXPORT_SYMBOL_IF_KUNIT(kbpf_limits_embedded);
EXPORT_SYMBOL_IF_KUNIT(kbpf_default_limits);
EXPORT_SYMBOL_IF_KUNIT(kbpf_limits_by_name);

/* verifier log */
EXPORT_SYMBOL_IF_KUNIT(kbpf_log_init);
EXPORT_SYMBOL_IF_KUNIT(kbpf_log_printf);

/* maps */
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_create);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_get);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_put);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_lookup_elem);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_update_elem);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_delete_elem);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_lookup_copy);
EXPORT_SYMBOL_IF_KUNIT(kbpf_map_get_next_key);

/* helpers */
EXPORT_SYMBOL_IF_KUNIT(kbpf_default_helpers);
EXPORT_SYMBOL_IF_KUNIT(kbpf_helper_lookup);

/* program types */
EXPORT_SYMBOL_IF_KUNIT(kbpf_prog_type_info);

/* programs */
EXPORT_SYMBOL_IF_KUNIT(kbpf_prog_load);
EXPORT_SYMBOL_IF_KUNIT(kbpf_prog_free);
EXPORT_SYMBOL_IF_KUNIT(kbpf_prog_run);
EXPORT_SYMBOL_IF_KUNIT(kbpf_prog_run_args);

/* disassembly */
EXPORT_SYMBOL_IF_KUNIT(kbpf_disasm_insn);

#endif /* CONFIG_KUNIT */
