/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The list of shared test suites.  S(x) names kbpf_suite_x defined in
 * selftests/cases/<x>.c.  One line per suite.
 */
#define KBPF_TEST_SUITES(S) \
	S(log_basic) \
	S(interp_alu) \
	S(verifier_alu) \
	S(verifier_branch) \
	S(verifier_pkt) \
	S(verifier_stack) \
	S(verifier_map) \
	S(verifier_rdonly) \
	S(verifier_calls) \
	S(verifier_loop) \
	S(verifier_flow) \
	S(verifier_raw) \
	S(verifier_edge) \
	S(verifier_limits) \
	S(verifier_spill) \
	S(interp_jmp) \
	S(interp_mem) \
	S(interp_call) \
	S(interp_decode) \
	S(map_basic) \
	S(map_limits) \
	S(map_resize) \
	S(map_percpu) \
	S(map_ringbuf) \
	S(map_lpm) \
	S(map_lru) \
	S(map_freeze) \
	S(map_grace) \
	S(verifier_ringbuf) \
	S(disasm_basic) \
	S(helpers_basic) \
	S(helpers_verifier) \
	S(helpers_run) \
	S(interp_load) \
	S(conformance) \
	S(native_basic) \
	S(sched_core) \
	S(sched_meter) \
	S(sched_loops) \
	S(idtab) \
	S(nf_ctx_fields) \
	/* end of list */
