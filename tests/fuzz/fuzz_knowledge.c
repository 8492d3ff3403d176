/* libFuzzer harness for discovery's background knowledge: the input is split at its first two
 * NUL bytes into tiers, forbid and require texts, which are parsed, written back as text and
 * checked against a fixed set of names. Must never crash, leak or trip a sanitizer; every
 * refusal must leave a message.
 *
 *   make -C build fuzz-knowledge && ./build/fuzz-knowledge -max_total_time=120 -max_len=256 */
#include "../../engine/discover.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = {"A", "B", "C", "my col", "X10"};
	char *buf = malloc(size + 3);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	const char *part[3];
	char *p = buf;
	for (int i = 0; i < 3; i++) {
		part[i] = p;
		p += strlen(p) + (p < buf + size ? 1 : 0);
	}
	wb_knowledge *k = wb_knowledge_new();
	wb_err err = {0, ""};
	int rc = 0;
	if (*part[0])
		rc = wb_knowledge_set_tiers(k, part[0], &err);
	if (!rc && *part[1])
		rc = wb_knowledge_add_edges(k, part[1], 0, &err);
	if (!rc && *part[2])
		rc = wb_knowledge_add_edges(k, part[2], 1, &err);
	char text[512];
	wb_knowledge_text(k, text, sizeof text);
	if (!rc)
		rc = wb_knowledge_check(k, names, 5, &err);
	if (rc && !err.msg[0])
		abort();
	wb_knowledge_free(k);
	free(buf);
	return 0;
}
