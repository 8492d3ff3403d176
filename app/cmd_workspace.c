/* cmd_workspace.c — workspace commands: set, export, save/open workspace, run, help, quit. */
#include "cmd.h"
#include "help.h"
#include "render.h"
#include "session.h"
#include "workspace.h"

#include "../engine/atomicio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec_set_seed(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	const char *v = wb_arg_word(a, 0);
	char *end;
	unsigned long long seed = strtoull(v, &end, 10);
	if (*end || end == v || *v == '-')
		return wb_err_set(err, WB_EINVAL, "set seed: N must be a whole number >= 0, got '%s'", v);
	if (wb_session_set_seed(s, seed))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return wb_session_say(s, err, "seed %llu", seed);
}

static int exec_set_threads(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	const char *v = wb_arg_word(a, 0);
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || end == v || n < 0 || n > 64)
		return wb_err_set(err, WB_EINVAL, "set threads: N must be a whole number from 0 to 64, got '%s'", v);
	wb_session_set_threads(s, (int)n);
	return wb_session_say(s, err, n ? "threads %ld" : "threads %ld (automatic)", n);
}

typedef struct export_ctx {
	const wb_result *r;
	int json;
} export_ctx;

static int write_export(FILE *fp, const void *ctx, wb_err *err)
{
	const export_ctx *e = ctx;
	int rc = e->json ? wb_render_json(e->r, fp) : wb_render_csv(e->r, fp);
	return rc ? wb_err_set(err, rc, "write error") : 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int exec_export(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 2, err);
	if (rc)
		return rc;
	size_t nres = wb_session_nresults(s);
	const char *path = wb_arg_word(a, a->npos - 1);
	/* The result to export: the last table by default, or number N as in the Results pane. */
	long which = -1;
	if (a->npos == 2) {
		char *end;
		which = strtol(wb_arg_word(a, 0), &end, 10);
		if (*end || which < 1 || (size_t)which > nres)
			return wb_err_set(err, WB_EINVAL, "export: RESULT must be a result number from 1 to %zu, got '%s'",
					  nres, wb_arg_word(a, 0));
		which--;
	} else {
		for (size_t i = nres; i-- > 0;)
			if (wb_result_ncols(wb_session_result(s, i)) > 0) {
				which = (long)i;
				break;
			}
		if (which < 0)
			return wb_err_set(err, WB_EINVAL, "export: no result table to export yet");
	}
	export_ctx e = {wb_session_result(s, (size_t)which), 0};
	if (has_suffix(path, ".json"))
		e.json = 1;
	else if (!has_suffix(path, ".csv"))
		return wb_err_set(err, WB_EINVAL, "export: %s: the file name must end in .json or .csv", path);
	if ((rc = wb_write_atomic(path, write_export, &e, err)))
		return rc;
	return wb_session_say(s, err, "exported result %ld (%s) to %s", which + 1,
			      wb_result_title(e.r), path);
}

static int exec_save_workspace(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc || (rc = wb_workspace_save(s, wb_arg_word(a, 0), err)))
		return rc;
	wb_session_set_dirty(s, 0);
	return wb_session_say(s, err, "saved workspace to %s (%zu datasets)", wb_arg_word(a, 0),
			      wb_session_ndatasets(s));
}

static int exec_open_workspace(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	if (wb_session_interactive(s) && wb_session_dirty(s))
		return wb_err_set(err, WB_EINVAL, "open workspace: unsaved changes: `save workspace PATH` first");
	if ((rc = wb_workspace_open(s, wb_arg_word(a, 0), err)))
		return rc;
	const char *name;
	const wb_frame *f = wb_session_frame(s, &name);
	if (f)
		return wb_session_say(s, err, "opened workspace %s: %zu datasets, active %s (%zu rows × %zu columns)",
				      wb_arg_word(a, 0), wb_session_ndatasets(s), name,
				      wb_frame_nrows(f), wb_frame_ncols(f));
	return wb_session_say(s, err, "opened workspace %s: no datasets", wb_arg_word(a, 0));
}

static int exec_open(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	return wb_session_open_path(s, wb_arg_word(a, 0), err);
}

static int exec_run(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	return wb_session_run_script(s, wb_arg_word(a, 0), 1, err);
}

static int exec_help(wb_session *s, const wb_args *a, wb_err *err)
{
	if (a->npos > 2)
		return wb_arg_count(a, 0, 2, err);
	char topic[128];
	if (a->npos == 2)
		snprintf(topic, sizeof topic, "%s %s", wb_arg_word(a, 0), wb_arg_word(a, 1));
	else if (a->npos == 1)
		snprintf(topic, sizeof topic, "%s", wb_arg_word(a, 0));
	wb_result *r;
	int rc = wb_help_result(a->npos ? topic : NULL, &r, err);
	if (rc)
		return rc;
	return wb_session_emit(s, r, err);
}

static int exec_quit(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	if (rc)
		return rc;
	if (strcmp(a->name, "quit") == 0 && wb_session_interactive(s) && wb_session_dirty(s))
		return wb_err_set(err, WB_EINVAL,
				  "quit: unsaved changes: `save workspace PATH` first, or `quit!` to discard them");
	wb_session_request_quit(s);
	return 0;
}

const wb_cmd wb_cmds_workspace[] = {
	{"set seed", "set seed N", "set the random seed of the workspace",
	 "Every random result (generated data, bootstrap, simulations) comes from this seed, "
	 "so an analysis is reproducible. The default seed is 42.\n\nExample:\n  set seed 7",
	 NULL, 0, WB_CMD_MODIFIES, exec_set_seed},
	{"set threads", "set threads N", "how many threads long work may use (0 = automatic)",
	 "Limits the threads used by loading and by long computations; 0 lets whybench choose "
	 "(at most the number of cores).\n\nExample:\n  set threads 2",
	 NULL, 0, WB_CMD_MODIFIES, exec_set_threads},
	{"export", "export [RESULT] PATH", "write a result table as JSON or CSV",
	 "Writes the last result table (or result number RESULT, counting from 1 in the order "
	 "they were made) to PATH; the file name's ending, .json or .csv, picks the format. "
	 "The JSON is the same object `--json` prints.\n\nExample:\n  describe; export "
	 "/tmp/describe.json",
	 NULL, WB_COMPLETE_PATHS, 0, exec_export},
	{"save workspace", "save workspace PATH", "save datasets, settings and history in one file",
	 "Saves the whole workspace — every dataset with its column kinds and levels, the seed, "
	 "the active dataset and the command history — to one text file (conventionally ending "
	 "in .wbw), atomically: a crash never leaves a half-written file.\n\nExample:\n  save "
	 "workspace /tmp/study.wbw",
	 NULL, WB_COMPLETE_PATHS, 0, exec_save_workspace},
	{"open workspace", "open workspace PATH", "restore a saved workspace",
	 "Replaces the workspace by the one saved in PATH. The file is read completely before "
	 "anything is replaced, so a broken file changes nothing. On the screen, unsaved changes "
	 "must be saved first.\n\nExample:\n  open workspace /tmp/study.wbw",
	 NULL, WB_COMPLETE_PATHS, 0, exec_open_workspace},
	{"open", "open PATH", "open a file: load a CSV, run a script or restore a workspace",
	 "Does what `whybench PATH` does on start: a .wb file is run as a script, a workspace "
	 "(.wbw, or any file starting with the workspace line) is restored, anything else is "
	 "loaded as CSV.\n\nExample:\n  open sample-data/musicapp.csv",
	 NULL, WB_COMPLETE_PATHS, WB_CMD_MODIFIES, exec_open},
	{"run", "run PATH", "run the commands of a script file",
	 "Runs a .wb script line by line; the first error stops it, naming the file and "
	 "line.\n\nExample:\n  run sample-data/start.wb",
	 NULL, WB_COMPLETE_PATHS, 0, exec_run},
	{"help", "help [COMMAND]", "list the commands, or explain one",
	 "Without an argument, lists every command; with one, shows its usage, what it does, "
	 "an example and its options.\n\nExample:\n  help load",
	 NULL, WB_COMPLETE_COMMANDS, 0, exec_help},
	{"quit", "quit", "leave whybench",
	 "Leaves whybench. On the screen, unsaved changes must be saved first (`save workspace "
	 "PATH`), or discarded with `quit!`. In a script, stops the script.\n\nExample:\n  quit",
	 NULL, 0, 0, exec_quit},
	{"quit!", "quit!", "leave whybench, discarding unsaved changes",
	 "Leaves whybench without saving.\n\nExample:\n  quit!", NULL, 0, 0, exec_quit},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};

