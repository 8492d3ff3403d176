/*
 * session.h — the workspace in memory and the runner of command lines.
 *
 * A session holds the datasets (by name, one active), the seed and the random stream, the
 * results produced so far, the unsaved-changes flag and the command history. The same
 * session runs commands typed on the screen, given with -e, or read from a script.
 */
#ifndef WB_SESSION_H
#define WB_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/bandit.h"
#include "../engine/err.h"
#include "../engine/estimate.h"
#include "../engine/frame.h"
#include "../engine/graph.h"
#include "../engine/progress.h"
#include "../engine/result.h"
#include "../engine/rng.h"

typedef struct wb_session wb_session;

/* Called for every result as it is produced (batch output). */
typedef void (*wb_emit_fn)(void *ctx, const wb_result *r);

wb_session *wb_session_new(void);
void wb_session_free(wb_session *s);
void wb_session_set_emitter(wb_session *s, wb_emit_fn fn, void *ctx);

/* Runs one line (commands separated by ';'), stopping at the first error. progress may be
 * NULL. Every command that ran is appended to the history. */
int wb_session_run_line(wb_session *s, const char *line, wb_progress *progress, wb_err *err);

/* Runs a script file line by line; an error stops it with "PATH:LINE: message". Lines of a
 * nested script (the `run` command) are not added to the history, only the `run` line. */
int wb_session_run_script(wb_session *s, const char *path, int nested, wb_err *err);

/* Opens a file the way `whybench FILE` does: .wb runs it, a workspace is restored, anything
 * else is loaded as CSV. */
int wb_session_open_path(wb_session *s, const char *path, wb_err *err);

/* ---- for commands ---- */

/* Appends a result (the session takes ownership, also on failure) and hands it to the
 * emitter. The command text is filled in by the runner. */
int wb_session_emit(wb_session *s, wb_result *r, wb_err *err);
/* Emits a note-only result (a confirmation): title is the command name. */
int wb_session_say(wb_session *s, wb_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

size_t wb_session_nresults(const wb_session *s);
const wb_result *wb_session_result(const wb_session *s, size_t i);

/* The active dataset, or NULL (name may be NULL). */
const wb_frame *wb_session_frame(const wb_session *s, const char **name);
/* The active dataset for modification, or an error naming the commands that make one. */
wb_frame *wb_session_need_frame(wb_session *s, const char **name, wb_err *err);
/* Stores f under name (replacing a dataset of that name) and makes it active; the session
 * takes ownership of f, also on failure. */
int wb_session_put_frame(wb_session *s, const char *name, wb_frame *f, wb_err *err);
/* Makes the named dataset active. */
int wb_session_use(wb_session *s, const char *name, wb_err *err);
size_t wb_session_ndatasets(const wb_session *s);
const char *wb_session_dataset_name(const wb_session *s, size_t i);
const wb_frame *wb_session_dataset(const wb_session *s, size_t i);

/* The last estimate (what `refute` works on), or NULL. set takes ownership of e (NULL
 * clears) and frees the one before. */
void wb_session_set_estimate(wb_session *s, wb_estimate *e);
const wb_estimate *wb_session_estimate(const wb_session *s);

/* ---- graphs (by name, one active, like datasets) ---- */

/* The active graph, or NULL (name may be NULL). */
const wb_graph *wb_session_graph(const wb_session *s, const char **name);
/* The active graph for modification, or the error "no graph: make one with graph new, graph
 * load or discover". */
wb_graph *wb_session_need_graph(wb_session *s, const char **name, wb_err *err);
/* Stores g under name (replacing a graph of that name) and makes it active; the session takes
 * ownership of g, also on failure. */
int wb_session_put_graph(wb_session *s, const char *name, wb_graph *g, wb_err *err);
/* Makes the named graph active; WB_ENOTFOUND naming the graphs there are. */
int wb_session_use_graph(wb_session *s, const char *name, wb_err *err);
size_t wb_session_ngraphs(const wb_session *s);
const char *wb_session_graph_name(const wb_session *s, size_t i);
const wb_graph *wb_session_graph_at(const wb_session *s, size_t i);

uint64_t wb_session_seed(const wb_session *s);
/* Sets the seed and restarts the session's random stream. */
int wb_session_set_seed(wb_session *s, uint64_t seed);
wb_rng *wb_session_rng(wb_session *s);
int wb_session_threads(const wb_session *s);
void wb_session_set_threads(wb_session *s, int threads);
wb_progress *wb_session_progress(wb_session *s);

int wb_session_dirty(const wb_session *s);
void wb_session_set_dirty(wb_session *s, int dirty);
int wb_session_quit_requested(const wb_session *s);
void wb_session_request_quit(wb_session *s);
/* Nonzero when running under the screen (quit then refuses to drop unsaved work). */
int wb_session_interactive(const wb_session *s);
void wb_session_set_interactive(wb_session *s, int on);

size_t wb_session_nhistory(const wb_session *s);
const char *wb_session_history(const wb_session *s, size_t i);

/* ---- the campaign simulation (engine/bandit.h) ---- */

/* The workspace's simulation, or NULL before `bandit new`. */
wb_bandit *wb_session_bandit(const wb_session *s);
/* Replaces the simulation by b (the session takes ownership; NULL drops it) and points the
 * live view at it. */
void wb_session_set_bandit(wb_session *s, wb_bandit *b);
/* The live view of the simulation: created with the session and valid for its whole life,
 * thread-safe (the screen reads it while `bandit run` runs on the worker thread). */
wb_bandit_live *wb_session_bandit_live(wb_session *s);

/* Replaces the whole state (datasets, graphs, actives, seed, history) by that of other, which is
 * emptied; results are kept. Used by `open workspace` once a file has loaded completely. */
void wb_session_adopt(wb_session *s, wb_session *other);
/* Appends a history line without running it (workspace restore). */
int wb_session_add_history(wb_session *s, const char *line);

#endif
