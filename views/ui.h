/*
 * ui.h — the workbench screen: pane tabs, the active pane, the result log, a GNU readline
 * command line (callback interface inside ncurses) and a status line with job progress.
 *
 * views/ never calls into app/. The program hands the screen a wb_ui_host: callbacks through
 * which every key that changes something becomes a command line run by the host, so each
 * action lands in the log and replays from a script. The screen reads engine objects (frames,
 * results) through the host to draw them and never computes statistics itself.
 */
#ifndef WB_UI_H
#define WB_UI_H

#include <stddef.h>

#include "../engine/bandit.h"
#include "../engine/frame.h"
#include "../engine/graph.h"
#include "../engine/progress.h"
#include "../engine/result.h"

typedef struct wb_ui_host {
	void *ctx;

	/* Runs one command line (possibly several ';'-separated commands). The screen calls it
	 * on a worker thread and calls no other host function until it returns (but
	 * bandit_live, below); progress is
	 * the job's progress/cancel record (Ctrl-C sets its cancel flag). Returns 0, or
	 * negative after an error, whose one-line message is then returned by last_error. */
	int (*run)(void *ctx, const char *line, wb_progress *progress);
	const char *(*last_error)(void *ctx);

	/* Results produced so far, oldest first; the screen shows new ones in the log. */
	size_t (*n_results)(void *ctx);
	const wb_result *(*result)(void *ctx, size_t i);

	/* The active dataset (NULL if none) and its name. */
	const wb_frame *(*frame)(void *ctx, const char **name);

	/* Completion candidates for the word text[start..end) of the line: a malloc'd,
	 * NULL-terminated array of malloc'd strings (commands, options, column names, paths),
	 * or NULL for none. */
	char **(*complete)(void *ctx, const char *line, int start, int end);

	/* Help text for a command or topic (NULL: overview); malloc'd, caller frees. */
	char *(*help)(void *ctx, const char *topic);

	/* Nonzero when the workspace has changes not saved (q then asks before quitting). */
	int (*dirty)(void *ctx);

	/* Nonzero once the host has executed `quit`. */
	int (*quit_requested)(void *ctx);

	/* The active graph (NULL if none) and its name (name may be NULL). Borrowed: valid until
	 * the next command runs. */
	const wb_graph *(*graph)(void *ctx, const char **name);

	/* The live view of the campaign simulation (engine/bandit.h), or NULL if the host has
	 * none. Unlike the functions above it may be called while a job runs: the object it
	 * returns is thread-safe and lives as long as the host. */
	wb_bandit_live *(*bandit_live)(void *ctx);
} wb_ui_host;

/* Runs the screen until the user quits. startup lines (may be NULL) are run first, as if
 * typed. Returns 0, or negative with a message in err if the terminal cannot be used. */
int wb_ui_main(const wb_ui_host *host, const char *const *startup, size_t nstartup, wb_err *err);

#endif
