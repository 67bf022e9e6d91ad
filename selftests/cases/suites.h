/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The list of shared test suites.  S(x) names kbpf_suite_x defined in
 * selftests/cases/<x>.c.  One line per suite.
 */
#define KBPF_TEST_SUITES(S) \
	/* end of list */
