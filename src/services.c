/* services.c: a port -> name table loaded once from the services database. */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"

int services_load(struct services *s)
{
	struct servent *e;
	int rc = 0;

	memset(s, 0, sizeof(*s));
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
