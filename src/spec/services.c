/* SPDX-License-Identifier: BSD-2-Clause */
/* services.c: a port -> name table loaded once from nmap's nmap-services (as nmap names ports) or
 * /etc/services. */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/services.h"

/* nmap-services: "name port/proto frequency ...". Returns 0, 1 when the file
 * is absent, -1 (ENOMEM). */
static int load_nmap(struct services *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], name[128], proto[16];
	unsigned port;
	int rc = 0;

	if (!f)
		return 1;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%127s %u/%15s", name, &port, proto) != 3 ||
		    strcmp(proto, "tcp") != 0 || port > 65535 || s->name[port])
			continue;
		s->name[port] = strdup(name);
		rc = s->name[port] ? 0 : -1;
	}
	fclose(f);
	return rc;
}

int services_load(struct services *s)
{
	struct servent *e;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = load_nmap(s, SERVICES_NMAP);
	if (rc <= 0)
		return rc;
	rc = 0;
	setservent(0);
	while ((e = getservent()) != NULL) {
		uint16_t p = ntohs((uint16_t)e->s_port);

		if (strcmp(e->s_proto, "tcp") != 0 || s->name[p])
			continue;
		s->name[p] = strdup(e->s_name);
		if (!s->name[p]) {
			rc = -1;
			break;
		}
	}
	endservent();
	return rc;
}

int services_has(const struct services *s, uint16_t p)
{
	return s && s->name[p];
}

const char *services_name(const struct services *s, uint16_t p)
{
	return s && s->name[p] ? s->name[p] : "unknown";
}

void services_free(struct services *s)
{
	for (size_t i = 0; i < 65536; i++)
		free(s->name[i]);
	memset(s, 0, sizeof(*s));
}
