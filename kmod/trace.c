// SPDX-License-Identifier: GPL-2.0
/*
 * Trace descriptors: bpf_printk output of one program, or of all, as a file
 * descriptor that read(2) and poll(2) understand (uapi/linux/kbpf.h,
 * KBPF_IOC_TRACE_OPEN).
 *
 * The lines themselves sit in each program's core trace buffer
 * (core/trace.c), which programs fill from softirq without waiting.  This
 * file only formats them for readers: a one-program descriptor holds a
 * reference on that program's buffer (not on the program, so unloading is
 * never held up by a reader) and reads it until the buffer is closed and
 * empty; the all-programs descriptor keeps its opener's view (struct
 * kbpf_caller, with a reference on the namespace) and, on each read, takes
 * the oldest line among the programs that view shows at that moment,
 * under the registry lock.  Either needs what any use of a program needs
 * (perm.h): lines may carry packet contents.  One wait queue serves every
 * reader: writers wake it only when someone sleeps on it.
 *
 * A reader's state, the line it formats and copies out included, comes
 * from kbpf_zalloc() when the descriptor opens (the embedded pool), so a
 * read allocates nothing; reads of one descriptor take turns on its lock.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/math64.h>
#include <linux/mutex.h>

#include "trace.h"
#include "registry.h"

static DECLARE_WAIT_QUEUE_HEAD(kbpf_trace_wq);
/* Bumped on every line and close: a sleeping reader waits for a change. */
static atomic_t kbpf_trace_seq = ATOMIC_INIT(0);

/* Called by the core after each line and when a buffer closes. */
void kbpf_trace_notify(void)
{
	atomic_inc(&kbpf_trace_seq);
	if (wq_has_sleeper(&kbpf_trace_wq))
		wake_up_interruptible_poll(&kbpf_trace_wq, EPOLLIN);
}

struct kbpf_trace_reader {
	struct kbpf_trace_buf *buf;	/* one program; NULL: all programs */
	u32 prog_id;
	char name[KBPF_OBJ_NAME_LEN];
	struct kbpf_caller caller;	/* all programs: whose view */
	struct mutex lock;		/* one read at a time: line, text */
	struct kbpf_trace_line line;	/* the line being read */
	char text[KBPF_TRACE_LINE_MAX];	/* the line formatted */
};

/* One line as uapi/linux/kbpf.h describes it; returns its length. */
static int kbpf_trace_format(char *out, size_t size, u32 id, const char *name,
			     const struct kbpf_trace_line *line)
{
	u32 usec;
	u64 sec = div_u64_rem(line->ts_ns, NSEC_PER_SEC, &usec);
	const char *n = name[0] ? name : "-";
	int len = 0;

	usec /= NSEC_PER_USEC;
	if (line->dropped)
		len = scnprintf(out, size, "%llu.%06u %u %u %s! %llu dropped\n",
				sec, usec, line->cpu, id, n, line->dropped);
	len += scnprintf(out + len, size - len, "%llu.%06u %u %u %s: %s\n",
			 sec, usec, line->cpu, id, n, line->text);
	return len;
}

/* The oldest line among loaded programs, with who wrote it. */
static int kbpf_trace_read_any(struct kbpf_trace_reader *r,
			       struct kbpf_trace_line *line, u32 *id,
			       char *name)
{
	struct kbpf_reg_prog *rp, *best = NULL;
	u64 ts, best_ts = U64_MAX;
	u32 next = 0;
	int err = -ENOENT;

	kbpf_registry_lock();
	while ((rp = kbpf_registry_prog_next_locked(&r->caller, &next))) {
		next = rp->obj.id + 1;
		if (!rp->prog->trace || kbpf_trace_peek(rp->prog->trace, &ts))
			continue;
		if (ts < best_ts) {
			best_ts = ts;
			best = rp;
		}
	}
	if (best) {
		err = kbpf_trace_read(best->prog->trace, line);
		*id = best->obj.id;
		memcpy(name, best->obj.name, KBPF_OBJ_NAME_LEN);
	}
	kbpf_registry_unlock();
	return err;
}

static int kbpf_trace_next(struct kbpf_trace_reader *r,
			   struct kbpf_trace_line *line, u32 *id, char *name)
{
	if (!r->buf)
		return kbpf_trace_read_any(r, line, id, name);
	*id = r->prog_id;
	memcpy(name, r->name, KBPF_OBJ_NAME_LEN);
	return kbpf_trace_read(r->buf, line);
}

static bool kbpf_trace_ready(struct kbpf_trace_reader *r)
{
	struct kbpf_reg_prog *rp;
	u32 next = 0;
	bool ready = false;
	u64 ts;

	if (r->buf)
		return !kbpf_trace_peek(r->buf, &ts) || kbpf_trace_buf_done(r->buf);
	kbpf_registry_lock();
	while (!ready && (rp = kbpf_registry_prog_next_locked(&r->caller,
							       &next))) {
		next = rp->obj.id + 1;
		ready = rp->prog->trace && !kbpf_trace_peek(rp->prog->trace, &ts);
	}
	kbpf_registry_unlock();
	return ready;
}

/*
 * Copy whole lines out while ubuf has room for the longest; the bytes
 * copied, 0 if there were no lines, or -EFAULT if the first copy faulted
 * (a line that faults is lost, as a short read would lose it).
 */
static ssize_t kbpf_trace_copy_lines(struct kbpf_trace_reader *r,
				     char __user *ubuf, size_t count)
{
	char name[KBPF_OBJ_NAME_LEN];
	size_t used = 0;
	int len;
	u32 id;

	/* A formatted line is below KBPF_TRACE_LINE_MAX bytes. */
	while (count - used >= KBPF_TRACE_LINE_MAX) {
		if (kbpf_trace_next(r, &r->line, &id, name))
			break;
		len = kbpf_trace_format(r->text, sizeof(r->text), id, name,
					&r->line);
		if (copy_to_user(ubuf + used, r->text, len))
			return used ?: -EFAULT;
		used += len;
	}
	return used;
}

static ssize_t kbpf_trace_fop_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct kbpf_trace_reader *r = file->private_data;
	ssize_t n;
	int err;

	if (count < KBPF_TRACE_LINE_MAX)
		return -EINVAL;
	count = min_t(size_t, count, PAGE_SIZE);
	if (mutex_lock_interruptible(&r->lock))
		return -ERESTARTSYS;
	for (;;) {
		int seen = atomic_read(&kbpf_trace_seq);

		n = kbpf_trace_copy_lines(r, ubuf, count);
		if (n || (r->buf && kbpf_trace_buf_done(r->buf)))
			break;
		if (file->f_flags & O_NONBLOCK) {
			n = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(kbpf_trace_wq,
					       atomic_read(&kbpf_trace_seq) != seen);
		if (err) {
			n = err;
			break;
		}
	}
	mutex_unlock(&r->lock);
	return n;
}

static __poll_t kbpf_trace_fop_poll(struct file *file, poll_table *wait)
{
	struct kbpf_trace_reader *r = file->private_data;
	u64 ts;

	poll_wait(file, &kbpf_trace_wq, wait);
	if (r->buf && kbpf_trace_peek(r->buf, &ts) && kbpf_trace_buf_done(r->buf))
		return EPOLLHUP;
	return kbpf_trace_ready(r) ? EPOLLIN | EPOLLRDNORM : 0;
}

static void kbpf_trace_reader_free(struct kbpf_trace_reader *r)
{
	kbpf_trace_buf_put(r->buf);
	if (r->caller.net)
		put_net(r->caller.net);
	mutex_destroy(&r->lock);
	kbpf_free(r);
}

static int kbpf_trace_fop_release(struct inode *inode, struct file *file)
{
	kbpf_trace_reader_free(file->private_data);
	return 0;
}

static const struct file_operations kbpf_trace_fops = {
	.owner = THIS_MODULE,
	.read = kbpf_trace_fop_read,
	.poll = kbpf_trace_fop_poll,
	.release = kbpf_trace_fop_release,
	.llseek = noop_llseek,
};

/* The reader of one program: a reference on its buffer. */
static int kbpf_trace_reader_bind(struct kbpf_trace_reader *r,
				  const struct kbpf_caller *c, u32 prog_id)
{
	struct kbpf_reg_prog *rp;
	int err = 0;

	kbpf_registry_lock();
	rp = kbpf_registry_prog_find_locked(c, prog_id, NULL);
	if (IS_ERR(rp)) {
		err = PTR_ERR(rp);
	} else if (!rp->prog->trace) {
		err = -ENODATA;	/* it never calls bpf_printk */
	} else {
		kbpf_trace_buf_get(rp->prog->trace);
		r->buf = rp->prog->trace;
		r->prog_id = rp->obj.id;
		memcpy(r->name, rp->obj.name, sizeof(r->name));
	}
	kbpf_registry_unlock();
	return err;
}

int kbpf_trace_open(const struct kbpf_caller *c,
		    const struct kbpf_trace_open_attr *attr)
{
	struct kbpf_trace_reader *r;
	int flags = O_RDONLY | O_CLOEXEC;
	int fd, err;

	if (attr->flags & ~KBPF_TRACE_NONBLOCK || attr->__reserved)
		return -EINVAL;
	if (attr->flags & KBPF_TRACE_NONBLOCK)
		flags |= O_NONBLOCK;
	r = kbpf_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	mutex_init(&r->lock);
	if (attr->prog_id) {
		err = kbpf_trace_reader_bind(r, c, attr->prog_id);
	} else {
		/* Every program c sees: c must be an admin somewhere. */
		err = kbpf_perm_check(c, KBPF_PERM_USE, c->net);
		r->caller = *c;
		if (!err)
			get_net(r->caller.net);
		else
			r->caller.net = NULL;
	}
	if (err) {
		kbpf_trace_reader_free(r);
		return err;
	}
	fd = anon_inode_getfd("kbpf-trace", &kbpf_trace_fops, r, flags);
	if (fd < 0)
		kbpf_trace_reader_free(r);
	return fd;
}
