/* libFuzzer harness for the command language: lexer, command lookup, argument checking and
 * the commands themselves, on a session holding a small generated dataset. Commands that
 * touch files are refused here so the fuzzer cannot write outside its sandbox.
 * Build and run: make fuzz-cmd && ./fuzz_cmd -max_total_time=120 tests/fuzz/corpus-cmd */
#include "../../app/session.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static wb_session *session(void)
{
	static wb_session *s;
	if (!s) {
		wb_err err;
		s = wb_session_new();
		wb_session_run_line(s, "generate musicapp n=50 seed=1", NULL, &err);
	}
	return s;
}

static int touches_files(const char *line)
{
	static const char *words[] = {"save", "export", "load", "open", "run"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(line, words[i]))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (!touches_files(line)) {
		wb_err err;
		wb_session *s = session();
		wb_session_run_line(s, line, NULL, &err);
		/* Keep the dataset small and present whatever the input did. */
		const wb_frame *f = wb_session_frame(s, NULL);
		if (!f || wb_frame_nrows(f) > 1000 || wb_frame_ncols(f) > 50)
			wb_session_run_line(s, "generate musicapp n=50 seed=1", NULL, &err);
	}
	free(line);
	return 0;
}
