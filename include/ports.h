/* ports.h: a set of TCP ports with an O(1) port -> index map. */
#ifndef SYNSCAN_PORTS_H
#define SYNSCAN_PORTS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A set of ports in ascending order. ports[i] is the i-th port; index[p] is
 * the position of port p in ports[], or -1. The set owns both arrays.
 */
struct portset {
	uint16_t *ports;
	uint32_t n;
	int32_t *index; /* 65536 entries */
};

/*
 * Parses a port specification: comma-separated ports and ranges
 * ("22,80,1000-2000"), "-" for 1-65535, open-ended ranges ("-1024",
 * "60000-"). Fills ps (which must be zeroed or freed). Returns 0, or -1 with
 * a message naming the bad token in err.
 */
int portset_parse(struct portset *ps, const char *spec, char *err, size_t errlen);

/* Frees what ps owns and zeroes it. */
void portset_free(struct portset *ps);

/* Position of port p in the set, or -1. */
static inline int32_t portset_index(const struct portset *ps, uint16_t p)
{
	return ps->index[p];
}

#endif
