/*
 * hi_os: the operating system: kernel, distribution, hostname, uptime, load.
 *
 * On the live machine the kernel and hostname come from uname(2); from a
 * captured tree, from /proc/sys/kernel/{ostype,osrelease,hostname}, which
 * hold the same strings. Times and loads are fixed-point decimals in /proc:
 * hostinfo refuses anything that is not a plain, finite, non-negative number.
 */
#include "hi_os.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/*
 * A plain decimal at *s: digits, then optionally '.' and more digits
 * ("123", "350735.47"); *s moves past it. strtod alone accepts too much
 * ("inf", "nan", "1e9", "0x1", " 1", "-1"): check the characters first, then
 * let strtod convert exactly them. Returns 0 with *out set; -EINVAL when
 * *s does not start with a digit or the value is not finite.
 * Stage 01.5, README "Steps" 5.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int decimal(const char **s, double *out)
{
	/* >>> SOLUTION 01.5: measure the digits and the fraction with strspn; strtod must end exactly there */
	const char *p = *s;
	char *end;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	p += strspn(p, "0123456789");
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	*out = strtod(*s, &end);
	if (end != p || !isfinite(*out))
		return -EINVAL;
	*s = p;
	return 0;
	/* === STUB
	(void)s;
	*out = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Copies an os-release value (vlen bytes, not NUL-terminated) into buf of
 * size bytes, per os-release(5): a value in double quotes loses them and
 * its backslash escapes ("\"" is ", "\\" is \); in single quotes it loses
 * them only; an unquoted value is copied as it is. A value too long for buf
 * is cut. Returns 0; -EINVAL for a quote that is not closed at the end.
 * Stage 01.5, README "Steps" 5.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int unquote(const char *v, size_t vlen, char *buf, size_t size)
{
	/* >>> SOLUTION 01.5: note the opening quote, check the closing one, copy the bytes between, skipping the backslash of an escape */
	char q = (vlen > 0 && (v[0] == '"' || v[0] == '\'')) ? v[0] : 0;
	size_t i = q ? 1 : 0, o = 0;

	if (q && (vlen < 2 || v[vlen - 1] != q))
		return -EINVAL; /* unterminated quote */
	if (q)
		vlen--;
	for (; i < vlen && o + 1 < size; i++) {
		if (v[i] == '\\' && q == '"' && i + 1 < vlen)
			i++;
		buf[o++] = v[i];
	}
	buf[o] = '\0';
	return 0;
	/* === STUB
	(void)v;
	(void)vlen;
	(void)size;
	buf[0] = '\0';
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_os.h. Lines are KEY=VALUE; blank lines and lines
 * starting with '#' are skipped; a line without '=' or with an empty key is
 * -EINVAL (*line set). Values go through unquote (its error is -EINVAL
 * too). buf gets PRETTY_NAME; without it NAME, a space and VERSION (or NAME
 * alone); with neither, -ENODATA. *line is 0 unless a line was bad.
 * Stage 01.5, README "Steps" 5.
 */
int hi_osrelease_parse(const char *text, char *buf, size_t size,
		       unsigned *line)
{
	/* >>> SOLUTION 01.5: walk the KEY=VALUE lines into three buffers (PRETTY_NAME, NAME, VERSION), then choose */
	struct hi_lines it = { .next = text };
	char pretty[128] = "", name[128] = "", version[128] = "";

	*line = 0;
	while (hi_lines_next(&it)) {
		const char *eq = memchr(it.line, '=', it.len);
		const char *v;
		size_t kl, vlen;
		char *dst = NULL;

		*line = it.num;
		if (it.len == 0 || it.line[0] == '#')
			continue;
		if (!eq || eq == it.line)
			return -EINVAL;
		v = eq + 1;
		kl = (size_t)(eq - it.line);
		vlen = it.len - kl - 1;
		if (kl == 11 && !memcmp(it.line, "PRETTY_NAME", 11))
			dst = pretty;
		else if (kl == 4 && !memcmp(it.line, "NAME", 4))
			dst = name;
		else if (kl == 7 && !memcmp(it.line, "VERSION", 7))
			dst = version;
		if (dst && unquote(v, vlen, dst, 128))
			return -EINVAL;
	}
	*line = 0;
	if (pretty[0])
		snprintf(buf, size, "%s", pretty);
	else if (name[0])
		snprintf(buf, size, "%s%s%s", name, version[0] ? " " : "",
			 version);
	else
		return -ENODATA;
	return 0;
	/* === STUB
	(void)text;
	buf[0] = '\0';
	(void)size;
	*line = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_os.h. /proc/uptime is two decimals (decimal())
 * separated by one space, then an optional newline and nothing else
 * ("350735.47 1383401.20\n"): the first is the uptime, the second (idle
 * time summed over the CPUs) is checked and dropped. Anything else is
 * -EINVAL. Stage 01.5, README "Steps" 5.
 */
int hi_uptime_parse(const char *text, double *seconds)
{
	/* >>> SOLUTION 01.5: decimal, one space, decimal, then the end (or one newline) */
	const char *p = text;
	double idle;

	if (decimal(&p, seconds) || *p++ != ' ' || decimal(&p, &idle))
		return -EINVAL;
	return (*p == '\n' && p[1] == '\0') || *p == '\0' ? 0 : -EINVAL;
	/* === STUB
	(void)text;
	*seconds = -1;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_os.h. /proc/loadavg is "0.52 0.58 0.59 2/1234
 * 56789\n": three decimals (decimal()) into out->load, each followed by one
 * space, then running/tasks and the last pid (hi_parse_u64), then an
 * optional newline. running above tasks, or tasks over UINT32_MAX, is
 * -EINVAL like any other deviation. On success sets out->running,
 * out->tasks and out->have_load = 1. Stage 01.5, README "Steps" 5.
 */
int hi_loadavg_parse(const char *text, struct hi_os *out)
{
	/* >>> SOLUTION 01.5: three decimals, then "running/total", then the last pid, each separator checked */
	const char *p = text;
	uint64_t running, tasks, pid;

	for (int i = 0; i < 3; i++)
		if (decimal(&p, &out->load[i]) || *p++ != ' ')
			return -EINVAL;
	if (hi_parse_u64(p, &p, &running) || *p++ != '/' ||
	    hi_parse_u64(p, &p, &tasks) || *p++ != ' ' ||
	    hi_parse_u64(p, &p, &pid) || running > tasks || tasks > UINT32_MAX)
		return -EINVAL;
	if (*p != '\0' && strcmp(p, "\n") != 0)
		return -EINVAL;
	out->running = (unsigned)running;
	out->tasks = (unsigned)tasks;
	out->have_load = 1;
	return 0;
	/* === STUB
	(void)text;
	out->have_load = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* Kernel and hostname of this machine, from uname(2). */
static void kernel_live(struct hi_os *out)
{
	struct utsname u;

	if (uname(&u) != 0)
		return; /* cannot fail with a valid buffer */
	snprintf(out->release, sizeof(out->release), "%s", u.release);
	snprintf(out->kernel, sizeof(out->kernel), "%s %s", u.sysname,
		 u.release);
	snprintf(out->machine, sizeof(out->machine), "%s", u.machine);
	snprintf(out->hostname, sizeof(out->hostname), "%s", u.nodename);
}

/* The same strings from a captured /proc/sys/kernel. */
static void kernel_captured(const char *root, struct hi_os *out,
			    struct hi_diags *ds)
{
	const char *rel = "proc/sys/kernel/osrelease";
	char type[32];
	int err;

	err = hi_file_line(root, rel, out->release, sizeof(out->release));
	if (err)
		hi_diag_add(ds, err, root, rel, 0, "cannot read the kernel");
	if (hi_diag_nomem(ds, root, "proc/sys/kernel/ostype",
			  hi_file_line(root, "proc/sys/kernel/ostype", type, sizeof(type))))
		snprintf(type, sizeof(type), "Linux");
	if (!err)
		snprintf(out->kernel, sizeof(out->kernel), "%s %s", type,
			 out->release);
	rel = "proc/sys/kernel/hostname";
	err = hi_file_line(root, rel, out->hostname, sizeof(out->hostname));
	if (err)
		hi_diag_add(ds, err, root, rel, 0, "cannot read the hostname");
}

/* Loads rel and hands it to parse; records a problem under what. */
static int parse_file(const char *root, const char *rel, struct hi_os *out,
		      struct hi_diags *ds, const char *what,
		      int (*parse)(const char *, struct hi_os *, unsigned *))
{
	unsigned line = 0;
	char *text;
	int err = hi_file_load(root, rel, &text, NULL);

	if (err) {
		hi_diag_add(ds, err, root, rel, 0, "cannot read it");
		return err;
	}
	err = parse(text, out, &line);
	free(text);
	if (err == -ENOSYS)
		what = "parser not written yet";
	if (err)
		hi_diag_add(ds, err, root, rel, line, "%s", what);
	return err;
}

static int uptime_into(const char *text, struct hi_os *out, unsigned *line)
{
	*line = 1;
	return hi_uptime_parse(text, &out->uptime);
}

static int osrelease_into(const char *text, struct hi_os *out, unsigned *line)
{
	return hi_osrelease_parse(text, out->distro, sizeof(out->distro), line);
}

static int loadavg_into(const char *text, struct hi_os *out, unsigned *line)
{
	*line = 1;
	return hi_loadavg_parse(text, out);
}

int hi_os_read(const char *root, struct hi_os *out, struct hi_diags *ds)
{
	memset(out, 0, sizeof(*out));
	if (hi_root_is_live(root))
		kernel_live(out);
	else
		kernel_captured(root, out, ds);
	parse_file(root, "etc/os-release", out, ds,
		   "expected KEY=VALUE lines with PRETTY_NAME", osrelease_into);
	if (parse_file(root, "proc/uptime", out, ds,
		       "expected two decimals, \"350735.47 1388418.32\"",
		       uptime_into))
		out->uptime = -1;
	parse_file(root, "proc/loadavg", out, ds,
		   "expected \"0.06 0.04 0.02 1/92 7851\"", loadavg_into);
	return out->release[0] ? 0 : -ENODATA;
}
