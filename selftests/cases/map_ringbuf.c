// SPDX-License-Identifier: GPL-2.0
/*
 * Ring buffer maps through the helpers' functions, read back as userspace
 * reads them: from the consumer page on, in the layout of
 * KBPF_IOC_MAP_GET_FD (consumer page, producer page, data twice).
 */
#include "map_test.h"

#define RING_SIZE	(2 * KBPF_PAGE_SIZE)

struct reader {
	u64 *cons, *prod;
	u8 *data;
	u64 mask;
};

static void reader_init(struct reader *r, struct kbpf_map *m)
{
	u8 *page = kbpf_ringbuf_consumer_page(m);

	r->cons = (u64 *)page;
	r->prod = (u64 *)(page + KBPF_PAGE_SIZE);
	r->data = page + 2 * KBPF_PAGE_SIZE;
	r->mask = m->attrs.max_entries - 1;
}

/*
 * Consume the next record as libbpf's ring_buffer__poll() does: its length
 * (-1: none ready, -2: discarded) and a pointer to its bytes.
 */
static long reader_next(struct reader *r, const u8 **rec)
{
	u64 cons = kbpf_load_acquire(*r->cons);
	u64 prod = kbpf_load_acquire(*r->prod);
	u32 len, *hdr;
	long ret;

	if (cons >= prod)
		return -1;
	hdr = (u32 *)(r->data + (cons & r->mask));
	len = kbpf_load_acquire(*hdr);
	if (len & KBPF_RINGBUF_BUSY_BIT)
		return -1;
	*rec = (const u8 *)(hdr + 2);
	ret = len & KBPF_RINGBUF_DISCARD_BIT ? -2 :
	      (long)(len & ~KBPF_RINGBUF_DISCARD_BIT);
	len &= ~KBPF_RINGBUF_DISCARD_BIT;
	kbpf_store_release(*r->cons, cons + ((len + 8 + 7) & ~7U));
	return ret;
}

/*
 * A record's bytes as a reader sees them through its mapping, where the
 * data's second copy is always the first mapped again: from the first
 * copy, wrapping at its end.
 */
static void reader_copy(const struct reader *r, const u8 *rec, u8 *out,
			u32 len)
{
	u64 off = rec - r->data;
	u32 i;

	for (i = 0; i < len; i++)
		out[i] = r->data[(off + i) & r->mask];
}

static u64 ptr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int create_errors(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 4, 0, RING_SIZE, 0, &m),
		  -EINVAL, "key_size 4");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 8, RING_SIZE, 0, &m),
		  -EINVAL, "value_size 8");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, 3 * KBPF_PAGE_SIZE,
				0, &m), -EINVAL, "not a power of 2");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, 1024, 0, &m),
		  -EINVAL, "less than a page");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, 1U << 31, 0, &m),
		  -E2BIG, "2 GiB is over the per-map cap");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, RING_SIZE,
				KBPF_F_NO_PREALLOC, &m), -EINVAL, "flags");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, RING_SIZE, 0, &m),
		  0, "two pages");
	EXPECT_EQ(kbpf_map_lookup_copy(m, NULL, NULL), -EOPNOTSUPP, "lookup");
	EXPECT_EQ(kbpf_map_update_user(m, NULL, NULL, 0), -EOPNOTSUPP,
		  "update");
	EXPECT_EQ(kbpf_map_get_next_key(m, NULL, NULL), -EOPNOTSUPP,
		  "next key");
	EXPECT_EQ(kbpf_map_check_helper(m, 1), -EINVAL,
		  "map_lookup_elem refused by a ring buffer");
	EXPECT_EQ(kbpf_map_check_helper(m, KBPF_FUNC_RINGBUF_OUTPUT), 0,
		  "ringbuf_output accepted");
	kbpf_map_put(m);
	m = NULL;
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 4, 4, 0, &m), 0, "hash");
	EXPECT_EQ(kbpf_map_check_helper(m, KBPF_FUNC_RINGBUF_RESERVE), -EINVAL,
		  "ringbuf_reserve refused by a hash map");
	EXPECT_EQ(kbpf_ringbuf_consumer_page(m) == NULL, 1, "no ring in a hash");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* Reserve, submit, discard, output: the reader sees each, in order. */
static int reserve_submit_discard(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	const u8 *rec = NULL;
	struct reader r;
	u8 *a, *b;
	u32 v = 0x11223344;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, RING_SIZE, 0, &m),
		  0, "create");
	reader_init(&r, m);
	kbpf_run_section_begin();
	a = (u8 *)(uintptr_t)kbpf_ringbuf_reserve(ptr(m), 5, 0, 0, 0);
	b = (u8 *)(uintptr_t)kbpf_ringbuf_reserve(ptr(m), 16, 0, 0, 0);
	if (a && b) {
		memcpy(a, "hello", 5);
		memset(b, 0xbb, 16);
	}
	kbpf_run_section_end();
	EXPECT_EQ(a && b, 1, "two reservations");
	EXPECT_EQ(((uintptr_t)a & 7) == 0, 1, "records are 8-byte aligned");
	EXPECT_EQ(b - a, 16, "5 bytes + header round up to 16");
	EXPECT_EQ(reader_next(&r, &rec), -1, "nothing before a commit");
	EXPECT_EQ(kbpf_ringbuf_query(ptr(m), KBPF_RB_AVAIL_DATA, 0, 0, 0), 40,
		  "both records pending");
	/* Commit out of order: the second waits behind the busy first. */
	kbpf_ringbuf_discard(ptr(b), 0, 0, 0, 0);
	EXPECT_EQ(reader_next(&r, &rec), -1, "the first still busy");
	kbpf_ringbuf_submit(ptr(a), 0, 0, 0, 0);
	EXPECT_EQ(reader_next(&r, &rec), 5, "first record");
	EXPECT_EQ(memcmp(rec, "hello", 5), 0, "its bytes");
	EXPECT_EQ(reader_next(&r, &rec), -2, "the discarded one");
	EXPECT_EQ(reader_next(&r, &rec), -1, "then nothing");
	EXPECT_EQ(kbpf_ringbuf_output(ptr(m), ptr(&v), 4, 0, 0), 0, "output");
	EXPECT_EQ(reader_next(&r, &rec), 4, "output record");
	EXPECT_EQ(memcmp(rec, &v, 4), 0, "output bytes");
	EXPECT_EQ((s64)kbpf_ringbuf_output(ptr(m), ptr(&v), 4, 4, 0), -EINVAL,
		  "output with unknown flags");
	EXPECT_EQ(kbpf_ringbuf_reserve(ptr(m), 8, 1, 0, 0), 0,
		  "reserve with flags gives NULL");
	EXPECT_EQ(kbpf_ringbuf_query(ptr(m), KBPF_RB_RING_SIZE, 0, 0, 0),
		  RING_SIZE, "ring size");
	EXPECT_EQ(kbpf_ringbuf_query(ptr(m), KBPF_RB_PROD_POS, 0, 0, 0), 56,
		  "producer position");
	EXPECT_EQ(kbpf_ringbuf_query(ptr(m), KBPF_RB_CONS_POS, 0, 0, 0), 56,
		  "consumer position");
	EXPECT_EQ(kbpf_ringbuf_query(ptr(m), KBPF_RB_AVAIL_DATA, 0, 0, 0), 0,
		  "nothing left");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/*
 * A full ring refuses; records wrap around the end contiguously, and a
 * reader of the first data copy sees the wrapped ones whole: where the
 * second copy is not an alias (unaliased, the embedded profile's layout),
 * because commit copied the tail there.
 */
static int full_and_wrap_ring(char *msg, size_t msg_size, bool unaliased)
{
	u32 rec_size = 1000, i, n = 0, got = 0;
	struct kbpf_map *m = NULL;
	const u8 *rec = NULL;
	u8 buf[1000];
	struct reader r;
	long len;
	int err;
	u32 j;

#ifndef __KERNEL__
	kbpf_user_ring_unaliased = unaliased;
#endif
	err = kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, RING_SIZE, 0, &m);
#ifndef __KERNEL__
	kbpf_user_ring_unaliased = false;
#endif
	EXPECT_EQ(err, 0, "create");
	reader_init(&r, m);
	EXPECT_EQ((s64)kbpf_ringbuf_output(ptr(m), ptr(buf), RING_SIZE, 0, 0),
		  -EAGAIN, "a record as big as the ring");
	/* Fill: 8 records of 1008 bytes fit in 8192, with 128 to spare. */
	for (i = 0; i < 16; i++) {
		memset(buf, i, sizeof(buf));
		if (kbpf_ringbuf_output(ptr(m), ptr(buf), rec_size, 0, 0))
			break;
		n++;
	}
	EXPECT_EQ(n, 8, "records that fit");
	/* Read three, write three more: they wrap around the end. */
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(reader_next(&r, &rec), rec_size, "read");
		EXPECT_EQ(rec[999], i, "in order");
	}
	for (i = 8; i < 11; i++) {
		memset(buf, i, sizeof(buf));
		EXPECT_EQ(kbpf_ringbuf_output(ptr(m), ptr(buf), rec_size, 0, 0),
			  0, "write after reading");
	}
	for (i = 3; (len = reader_next(&r, &rec)) >= 0; i++, got++) {
		EXPECT_EQ(len, rec_size, "record length");
		/* Contiguous in the kernel's view, even across the end. */
		EXPECT_EQ(rec[0] == i && rec[999] == i, 1, "record bytes");
		reader_copy(&r, rec, buf, rec_size);
		for (j = 0; j < rec_size && buf[j] == i; j++)
			;
		EXPECT_EQ(j, rec_size, "record bytes through the reader's mapping");
	}
	EXPECT_EQ(got, 8, "the rest, wrapped");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int full_and_wrap(char *msg, size_t msg_size)
{
	return full_and_wrap_ring(msg, msg_size, false);
}

#ifndef __KERNEL__
static int full_and_wrap_unaliased(char *msg, size_t msg_size)
{
	return full_and_wrap_ring(msg, msg_size, true);
}
#endif

static const struct kbpf_test_fn_case map_ringbuf_cases[] = {
	{ "ringbuf: creation rules and no element operations", create_errors },
	{ "ringbuf: reserve, submit, discard, output, query", reserve_submit_discard },
	{ "ringbuf: a full ring refuses, records wrap contiguously", full_and_wrap },
#ifndef __KERNEL__
	{ "ringbuf: wrapped records reach the reader without an aliased second copy",
	  full_and_wrap_unaliased },
#endif
};

KBPF_FN_TEST_SUITE(map_ringbuf, "kbpf_map_ringbuf", map_ringbuf_cases);
