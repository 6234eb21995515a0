/*
 * grade_ns.h: the inside of a jail (grade_jail.h), as its init sets it up
 * before the command starts. Used by grade_jail.c only.
 *
 *   set up      a private /proc, /tmp, /var/tmp, /run/lock and /dev/shm
 *               (size-capped tmpfs), pid numbers apart from other
 *               jails', the loopback up, /dev/kvm for nobody, the lab's
 *               overlay (pid, net and mount namespaces)
 *   session     a session of its own: the CPUs are shared jail by jail
 *   bound       limits; as root, nobody, with namespaces or without
 *               (in a user namespace of its own where the kernel allows)
 */
#ifndef GRADER_GRADE_NS_H
#define GRADER_GRADE_NS_H

#include <sys/types.h>

#include "grade_jail.h"

/* How commands are isolated (grade_jail_mode's names, in this order). */
enum grade_ns_mode { GRADE_NS_GROUP, GRADE_NS_ROOT, GRADE_NS_USER };

#define GRADE_NOBODY 65534

/* Whether a jail's nobody may have a user namespace of its own here, so
 * that jails count their processes apart: tried once, in a child. */
int grade_ns_try_apart(void);
/* Whether /dev/kvm has a group other than root's that may use it, which
 * nobody then keeps where there is no mount namespace to give it a
 * /dev/kvm of its own (GRADE_NS_GROUP as root). 1 and *gid, or 0. */
int grade_ns_kvm_group(gid_t *gid);
/* In init, before the command: everything above, for j in mode. uid and
 * gid are the grader's. Exits 126 rather than run a command as root. */
void grade_ns_enter(const struct grade_jail *j, enum grade_ns_mode mode,
		    int apart, uid_t uid, gid_t gid);

#endif /* GRADER_GRADE_NS_H */
