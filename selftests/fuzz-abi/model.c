// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's model of kbpf.ko's objects, and the comparison of a
 * listing (PROG_GET and MAP_GET dumps) against it.
 */
#include <string.h>

#include "model.h"

struct mprog *model_prog(struct model *m, __u32 id)
{
	int i;

	for (i = 0; i < MODEL_MAX_PROGS; i++)
		if (m->progs[i].live && m->progs[i].id == id)
			return &m->progs[i];
	return NULL;
}

struct mmap *model_map(struct model *m, __u32 id)
{
	int i;

	for (i = 0; i < MODEL_MAX_MAPS; i++)
		if (m->maps[i].live && m->maps[i].id == id)
			return &m->maps[i];
	return NULL;
}

struct mprog *model_prog_slot(struct model *m)
{
	int i;

	for (i = 0; i < MODEL_MAX_PROGS; i++)
		if (!m->progs[i].live)
			return &m->progs[i];
	return NULL;
}

struct mmap *model_map_slot(struct model *m)
{
	int i;

	for (i = 0; i < MODEL_MAX_MAPS; i++)
		if (!m->maps[i].live)
			return &m->maps[i];
	return NULL;
}

int model_live_progs(const struct model *m)
{
	int i, n = 0;

	for (i = 0; i < MODEL_MAX_PROGS; i++)
		n += m->progs[i].live;
	return n;
}

int model_live_maps(const struct model *m)
{
	int i, n = 0;

	for (i = 0; i < MODEL_MAX_MAPS; i++)
		n += m->maps[i].live;
	return n;
}

enum map_use model_map_in_use(const struct model *m, __u32 map_id)
{
	enum map_use use = MAP_UNUSED;
	const struct mprog *p;
	int i, j;

	for (i = 0; i < MODEL_MAX_PROGS; i++) {
		p = &m->progs[i];
		if (!p->live)
			continue;
		/* A mutated program may refer to any map by a random id. */
		if (p->opaque || !p->gen.valid)
			use = MAP_MAYBE_USED;
		for (j = 0; j < p->gen.n_maps; j++) {
			if (p->gen.maps[j] != map_id)
				continue;
			/* A mutated program may have lost the reference. */
			if (p->gen.valid)
				return MAP_USED;
			use = MAP_MAYBE_USED;
		}
	}
	return use;
}

bool model_map_shadowable(const struct mmap *mm)
{
	return (mm->type == KBPF_MAP_TYPE_ARRAY || mm->type == KBPF_MAP_TYPE_HASH) &&
	       mm->key_size >= 4 && mm->value_size <= SHADOW_VALUE &&
	       mm->max_entries <= SHADOW_KEYS;
}

static int popcount(__u32 v)
{
	return __builtin_popcount(v);
}

static bool ours(const struct model *m, const char *name)
{
	return m->exclusive || !strncmp(name, m->prefix, strlen(m->prefix));
}

static void adopt_prog(struct model *m, const struct kraw_prog *lp)
{
	struct mprog *p = model_prog_slot(m);

	if (!p)
		return;
	memset(p, 0, sizeof(*p));
	p->live = true;
	p->opaque = true;
	p->id = lp->id;
	memcpy(p->name, lp->name, sizeof(p->name));
	p->gen.cnt = lp->insn_cnt;
	p->gen.what = "adopted";
	p->gen.ret = GEN_RET_UNKNOWN;
	for (int i = 0; i < lp->n_links && lp->links[i].netns_cookie; i++)
		p->links |= LINK_BIT(lp->links[i].family, lp->links[i].hook);
	if (lp->id > m->max_prog_id)
		m->max_prog_id = lp->id;
	/* It may use any map: their contents are no longer ours alone. */
	for (int i = 0; i < MODEL_MAX_MAPS; i++)
		m->maps[i].shadowed = false;
}

static void adopt_map(struct model *m, const struct kraw_map *lm)
{
	struct mmap *mm = model_map_slot(m);

	if (!mm)
		return;
	memset(mm, 0, sizeof(*mm));
	mm->live = true;
	mm->id = lm->id;
	memcpy(mm->name, lm->name, sizeof(mm->name));
	mm->type = lm->type;
	mm->key_size = lm->key_size;
	mm->value_size = lm->value_size;
	mm->max_entries = lm->max_entries;
	if (lm->id > m->max_map_id)
		m->max_map_id = lm->id;
}

static int check_progs(struct model *m, const struct kraw_list *l,
		       void (*finding)(const char *fmt, ...), const char *last_failed)
{
	const struct kraw_prog *lp;
	const struct mprog *p;
	int i, bad = 0;

	for (i = 0; i < MODEL_MAX_PROGS; i++) {
		p = &m->progs[i];
		if (!p->live)
			continue;
		lp = kraw_find_prog(l, p->id);
		if (!lp) {
			finding("program %u (%s) we loaded is not listed", p->id, p->name);
			bad++;
			continue;
		}
		if (strcmp(lp->name, p->name) || lp->insn_cnt != p->gen.cnt ||
		    lp->type != KBPF_PROG_TYPE_NETFILTER) {
			finding("program %u listed as name '%s' insn_cnt %u type %u, loaded as '%s' %u %u",
				p->id, lp->name, lp->insn_cnt, lp->type, p->name,
				p->gen.cnt, KBPF_PROG_TYPE_NETFILTER);
			bad++;
		}
		if (lp->n_links != popcount(p->links)) {
			finding("program %u has %d attachments listed, %d made",
				p->id, lp->n_links, popcount(p->links));
			bad++;
		}
	}
	for (i = 0; i < l->n_progs; i++) {
		lp = &l->progs[i];
		if (kraw_find_prog(l, lp->id) != lp) {
			finding("program id %u listed twice", lp->id);
			bad++;
		}
		if (ours(m, lp->name) && !model_prog(m, lp->id)) {
			finding("program %u ('%s') is listed but no load succeeded (last failed load: %s)",
				lp->id, lp->name, last_failed);
			adopt_prog(m, lp);
			bad++;
		}
	}
	return bad;
}

static int check_maps(struct model *m, const struct kraw_list *l,
		      void (*finding)(const char *fmt, ...), const char *last_failed)
{
	const struct kraw_map *lm;
	const struct mmap *mm;
	int i, bad = 0;

	for (i = 0; i < MODEL_MAX_MAPS; i++) {
		mm = &m->maps[i];
		if (!mm->live)
			continue;
		lm = kraw_find_map(l, mm->id);
		if (!lm) {
			finding("map %u (%s) we created is not listed", mm->id, mm->name);
			bad++;
			continue;
		}
		if (strcmp(lm->name, mm->name) || lm->type != mm->type ||
		    lm->key_size != mm->key_size || lm->value_size != mm->value_size ||
		    lm->max_entries != mm->max_entries) {
			finding("map %u listed as '%s' type %u %u/%u/%u, created as '%s' %u %u/%u/%u",
				mm->id, lm->name, lm->type, lm->key_size, lm->value_size,
				lm->max_entries, mm->name, mm->type, mm->key_size,
				mm->value_size, mm->max_entries);
			bad++;
		}
	}
	for (i = 0; i < l->n_maps; i++) {
		lm = &l->maps[i];
		if (kraw_find_map(l, lm->id) != lm) {
			finding("map id %u listed twice", lm->id);
			bad++;
		}
		if (ours(m, lm->name) && !model_map(m, lm->id)) {
			finding("map %u ('%s') is listed but no create succeeded (last failed create: %s)",
				lm->id, lm->name, last_failed);
			adopt_map(m, lm);
			bad++;
		}
	}
	return bad;
}

int model_check_listing(struct model *m, const struct kraw_list *l,
			void (*finding)(const char *fmt, ...), const char *last_failed)
{
	int bad = 0;

	if (l->malformed) {
		finding("a listing reply lacks its id, name or type attribute");
		bad++;
	}
	bad += check_progs(m, l, finding, last_failed);
	return bad + check_maps(m, l, finding, last_failed);
}

int model_adopt(struct model *m, const struct kraw_list *l)
{
	int i, n = 0;

	for (i = 0; i < l->n_progs; i++)
		if (ours(m, l->progs[i].name) && !model_prog(m, l->progs[i].id)) {
			adopt_prog(m, &l->progs[i]);
			n++;
		}
	for (i = 0; i < l->n_maps; i++)
		if (ours(m, l->maps[i].name) && !model_map(m, l->maps[i].id)) {
			adopt_map(m, &l->maps[i]);
			n++;
		}
	return n;
}
