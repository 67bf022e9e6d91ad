// SPDX-License-Identifier: GPL-2.0
/*
 * Format strings of trace_printk and snprintf (see fmt.h).
 *
 * Numbers are converted here rather than handed to the environment's
 * snprintf with a format built at run time: the program chooses the
 * format, and a format string a program controls must never reach a real
 * printf.  Only %p goes to the environment, as the literal "%p" (hashed by
 * the kernel).
 */
#include "fmt.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int parse_flags_width(const char *fmt, u32 len, u32 *i,
			     struct kbpf_fmt_conv *conv, const char **why)
{
	for (; *i < len; (*i)++) {
		char c = fmt[*i];

		if (c == '-')
			conv->minus = true;
		else if (c == '0')
			conv->zero = true;
		else if (c == '+')
			conv->plus = true;
		else if (c == ' ')
			conv->space = true;
		else
			break;
	}
	while (*i < len && is_digit(fmt[*i])) {
		conv->width = conv->width * 10 + (u32)(fmt[*i] - '0');
		if (conv->width > KBPF_FMT_WIDTH_MAX) {
			*why = "field width above 63";
			return -EINVAL;
		}
		(*i)++;
	}
	return 0;
}

int kbpf_fmt_next(const char *fmt, u32 len, u32 *pos, u32 *lit_start,
		  u32 *lit_len, struct kbpf_fmt_conv *conv, const char **why)
{
	u32 i = *pos, pct;
	int err;

	*lit_start = i;
	while (i < len && fmt[i] && fmt[i] != '%')
		i++;
	*lit_len = i - *lit_start;
	if (i >= len || !fmt[i]) {
		*pos = i;
		return 0;
	}
	pct = i++;
	memset(conv, 0, sizeof(*conv));
	*pos = pct;
	if (i < len && fmt[i] == '%') {
		conv->conv = '%';
		*pos = i + 1;
		return 1;
	}
	err = parse_flags_width(fmt, len, &i, conv, why);
	if (err)
		return err;
	if (i < len && fmt[i] == 'l') {
		conv->is64 = true;
		i++;
		if (i < len && fmt[i] == 'l')
			i++;
	}
	if (i >= len || !fmt[i]) {
		*why = "the format ends inside a conversion";
		return -EINVAL;
	}
	switch (fmt[i]) {
	case 'd':
	case 'i':
		conv->conv = 'd';
		break;
	case 'u':
	case 'x':
	case 'X':
		conv->conv = fmt[i];
		break;
	case 'c':
	case 's':
	case 'p':
		if (conv->is64) {
			*why = "a length modifier goes only with d, i, u, x and X";
			return -EINVAL;
		}
		conv->conv = fmt[i];
		if (fmt[i] == 'p' && i + 1 < len && is_alnum(fmt[i + 1])) {
			*why = "%p takes no modifier (%pK, %pI4, ... are not supported)";
			return -EINVAL;
		}
		break;
	default:
		*why = "unsupported conversion (allowed: d i u x X, with l or ll; c s p %)";
		return -EINVAL;
	}
	*pos = i + 1;
	return 1;
}

/* Output cursor: counts every byte, stores those that fit (NUL aside). */
struct fmt_out {
	char *buf;
	u32 size;
	u32 len;
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct fmt_out *o, char c, u32 n)
{
	while (n--)
		out_char(o, c);
}

static void out_field(struct fmt_out *o, const struct kbpf_fmt_conv *conv,
		      const char *sign, const char *body, u32 body_len)
{
	u32 sign_len = strlen(sign), used = sign_len + body_len;
	u32 pad = conv->width > used ? conv->width - used : 0;
	u32 i;

	if (!conv->minus && !conv->zero)
		out_pad(o, ' ', pad);
	for (i = 0; i < sign_len; i++)
		out_char(o, sign[i]);
	if (!conv->minus && conv->zero)
		out_pad(o, '0', pad);
	for (i = 0; i < body_len; i++)
		out_char(o, body[i]);
	if (conv->minus)
		out_pad(o, ' ', pad);
}

static void out_number(struct fmt_out *o, const struct kbpf_fmt_conv *conv,
		       u64 arg)
{
	const char *digits = conv->conv == 'X' ? "0123456789ABCDEF" :
						 "0123456789abcdef";
	u32 base = (conv->conv == 'x' || conv->conv == 'X') ? 16 : 10;
	const char *sign = "";
	char tmp[24];
	u32 n = sizeof(tmp);
	u64 v = arg;

	if (!conv->is64)
		v = conv->conv == 'd' ? (u64)(s64)(s32)(u32)arg : (u32)arg;
	if (conv->conv == 'd') {
		if ((s64)v < 0) {
			sign = "-";
			v = -v;
		} else if (conv->plus) {
			sign = "+";
		} else if (conv->space) {
			sign = " ";
		}
	}
	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	out_field(o, conv, sign, tmp + n, sizeof(tmp) - n);
}

static void out_string(struct fmt_out *o, const struct kbpf_fmt_conv *conv,
		       const char *s, u32 max)
{
	u32 n = 0;

	while (n < max && s[n])
		n++;
	out_field(o, conv, "", s, n);
}

static int arg_allows(const struct kbpf_fmt_site *site, u32 i, char conv)
{
	u8 kind = site ? site->kind[i] : KBPF_FMT_SCALAR;

	switch (conv) {
	case 's':
		return kind == KBPF_FMT_STRING && site->str_max[i];
	case 'p':
		return 1;
	default:
		return kind == KBPF_FMT_SCALAR;
	}
}

static void out_conv(struct fmt_out *o, const struct kbpf_fmt_conv *conv,
		     u64 arg, const struct kbpf_fmt_site *site, u32 i)
{
	char c, ptr[32];

	switch (conv->conv) {
	case 'c':
		c = (char)arg;
		out_field(o, conv, "", &c, 1);
		break;
	case 's':
		out_string(o, conv, (const char *)(uintptr_t)arg,
			   site->str_max[i]);
		break;
	case 'p':
		snprintf(ptr, sizeof(ptr), "%p", (void *)(uintptr_t)arg);
		out_string(o, conv, ptr, sizeof(ptr));
		break;
	default:
		out_number(o, conv, arg);
		break;
	}
}

int kbpf_fmt_format(char *out, u32 size, const char *fmt, u32 fmt_len,
		    const u64 *args, u32 nargs,
		    const struct kbpf_fmt_site *site)
{
	struct fmt_out o = { .buf = out, .size = size };
	struct kbpf_fmt_conv conv;
	u32 pos = 0, lit, lit_len, argi = 0, i;
	const char *why;
	int more;

	if (!fmt_len || !memchr(fmt, '\0', fmt_len))
		return -EINVAL;
	do {
		more = kbpf_fmt_next(fmt, fmt_len, &pos, &lit, &lit_len, &conv,
				     &why);
		if (more < 0)
			return more;
		for (i = 0; i < lit_len; i++)
			out_char(&o, fmt[lit + i]);
		if (more <= 0)
			break;
		if (conv.conv == '%') {
			out_char(&o, '%');
			continue;
		}
		if (argi >= nargs || !arg_allows(site, argi, conv.conv))
			return -EINVAL;
		out_conv(&o, &conv, args[argi], site, argi);
		argi++;
	} while (more);
	if (size)
		out[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_fmt_format);
