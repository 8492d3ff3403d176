/*
 * screen_impl.h — state shared by the files of views/ (internal; app/ sees only ui.h).
 *
 * One wb_screen lives for the duration of wb_ui_main. Everything here runs on the UI thread,
 * except the job record, which the worker thread reaches through its atomics only.
 */
#ifndef WB_SCREEN_IMPL_H
#define WB_SCREEN_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "../engine/identify.h"
#include "../engine/layout.h"
#include "../engine/bandit.h"
#include "chart.h"
#include "ui.h"

/* The panes, in tab order. */
enum {
	WB_PANE_DATA,
	WB_PANE_GRAPH,
	WB_PANE_RESULTS,
	WB_PANE_SEGMENTS,
	WB_PANE_TIMELINE,
	WB_PANE_FUNNEL,
	WB_NPANES
};

/* Colour/attribute roles (theme.c maps them to attributes, honouring NO_COLOR). */
typedef enum {
	WB_TH_NORMAL,
	WB_TH_BORDER,
	WB_TH_TAB_ACTIVE,
	WB_TH_HEADER,
	WB_TH_KIND_NUM,
	WB_TH_KIND_BIN,
	WB_TH_KIND_CAT,
	WB_TH_KIND_DATE,
	WB_TH_CURSOR,
	WB_TH_MISSING,
	WB_TH_ERROR,
	WB_TH_INFO,
	WB_TH_ECHO,
	WB_TH_PROGRESS,
	WB_TH_BAR,
	WB_TH_DIM,
	WB_TH_EXPOSURE, /* graph roles */
	WB_TH_OUTCOME,
	WB_TH_LATENT,
	WB_TH_ADJUSTED,
	WB_TH_CONFOUNDER,
	WB_TH_MEDIATOR,
	WB_TH_INSET, /* in the highlighted adjustment set */
	WB_TH_NROLES
} wb_role;

/* A rectangle of the screen, in stdscr coordinates. */
typedef struct wb_rect {
	int y, x, h, w;
} wb_rect;

/* Log entries: what a line is decides its colour. */
typedef enum { WB_LOG_ECHO, WB_LOG_RESULT, WB_LOG_INFO, WB_LOG_ERROR } wb_log_kind;

#define WB_LOG_KEEP 200
#define WB_TYPEAHEAD_MAX 256

/* Data pane view state (pane_data.c). */
typedef struct wb_data_view {
	const wb_frame *frame; /* the frame the state below belongs to */
	size_t nrows, ncols;
	size_t row, col;  /* cursor cell */
	size_t top, left; /* first visible row and column */
	int *width;	  /* display width per column (cached, grows as wider cells show) */
	int stats_valid;  /* stats below belong to column stats_col */
	int stats_wanted; /* the sidebar waits for stats of the current column */
	size_t hist_bins; /* histogram bins that fit the sidebar */
	size_t stats_col;
	int stats_rc;
	char stats_err[128];
	wb_colstats stats;
	size_t hist[64];
	long hist_n;
	double hist_lo, hist_hi;
	char *search; /* last search text (malloc'd) */
} wb_data_view;

/* Results pane view state (pane_results.c). */
typedef struct wb_results_view {
	size_t sel; /* selected result index */
	int have_sel;
	size_t top, left;      /* first visible row, first visible column */
	const wb_result *wfor; /* the result widths were computed for */
	int *width;
	size_t nwidth;
} wb_results_view;

/* Graph pane view state (pane_graph.c). */
typedef struct wb_graph_cell wb_graph_cell;
typedef struct wb_graph_view {
	const wb_graph *seen; /* the graph the state below belongs to */
	unsigned long sig;    /* its signature when the cache was built */
	int have;	      /* layout and cells are valid */
	wb_layout *layout;
	wb_graph_cell *cell; /* the drawing, cw × ch cells */
	int cw, ch;
	size_t cur;	/* cursor node */
	char *cur_name; /* its name: the cursor follows it through edits */
	char **names;	/* node names at the last sync (a new name takes the cursor) */
	size_t nnames;
	char *anchor;		 /* the node an edge was started at (name), or NULL */
	unsigned int anchor_key; /* the key that started it: c, b or - */
	int top, left;		 /* first visible row and column of the drawing */
	/* identification for the marked exposure and outcome */
	char **sets; /* minimal adjustment sets as text, "{A, B}" */
	size_t nsets;
	int set_sel;		 /* the highlighted set */
	unsigned int *setmember; /* per node: bit k = in set k (first 32 sets) */
	int *nrole;		 /* per node: WB_NODE_* flags */
	char ident_msg[WB_ERR_MAX];
	char adjust_msg[WB_ERR_MAX + 64];
} wb_graph_view;
/* Timeline pane view state (pane_timeline.c). */
typedef struct wb_timeline_view {
	wb_bandit_snapshot snap; /* the pane's own copy of the live view */
	wb_chart chart;
	int colours_set, colours;
} wb_timeline_view;

typedef struct wb_screen {
	const wb_ui_host *host;
	int pane;	 /* active pane */
	int cmd_focus;	 /* 1 while the command line has the keyboard */
	int search_mode; /* 1 while the command line is reading a `/` search */
	int quit;	 /* leave the main loop */
	int too_small;
	const char *question;	 /* a y/n question shown in the command line, or NULL */
	char dataset_title[160]; /* "dataset: NAME R×C", refreshed after every run */

	/* layout */
	int H, W;
	wb_rect pane_r, log_r, cmd_r, status_r;

	/* log ring */
	char *log[WB_LOG_KEEP];
	wb_log_kind log_kind[WB_LOG_KEEP];
	size_t log_n, log_head; /* entries held; index of the oldest */

	/* dataset seen after the last run (to notice changes) */
	const wb_frame *seen_frame;
	size_t seen_nrows, seen_ncols;
	size_t seen_results;
	const wb_graph *seen_graph; /* the active graph after the last run */

	/* help overlay */
	int help_open;
	int help_top;
	char **help_lines;
	int help_n;

	/* the job running on the worker thread */
	pthread_t worker;
	int job_running;
	atomic_int job_finished;
	int job_rc;
	char *job_line;
	wb_progress progress;

	/* type-ahead: keys pressed while a job runs, handled in order once it ends */
	struct {
		int is_key;
		unsigned int ch;
	} ahead[WB_TYPEAHEAD_MAX];
	size_t nahead;

	/* startup lines still to run */
	const char *const *startup;
	size_t nstartup, next_startup;

	int job_timeline; /* the job is a `bandit run`/`step`: the Timeline pane stays up */

	wb_data_view data;
	wb_results_view results;
	wb_graph_view graph;
	wb_timeline_view timeline;
} wb_screen;

/* ---- screen.c ---- */
void wb_screen_log(wb_screen *s, wb_log_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts line on the worker thread (the screen echoes it in the log first). */
void wb_screen_submit(wb_screen *s, const char *line);
/* Redraws everything. */
void wb_screen_draw(wb_screen *s);
/* Focuses the command line with text already typed (a command waiting for its last word). */
void wb_screen_prompt(wb_screen *s, const char *text);

/* ---- theme.c ---- */
void wb_theme_init(void);
int wb_theme_colour(void); /* 1 if colours are in use */
int wb_theme_attr(wb_role role);
/* Heatmap cell attribute for level 0 (low) .. 4 (high); plain without colour. */
int wb_theme_heat(int level);
/* A refutation verdict's attribute: passed green, failed red, inconclusive yellow. */
int wb_theme_verdict(const char *verdict);

/* ---- drawing helpers (theme.c) ---- */
/* Display width of UTF-8 text (invalid bytes count 1). */
int wb_text_width(const char *s);
/* Writes s at (y, x) in at most w columns: align 0 left, 1 right; text that does not fit ends
 * in "…". Pads with spaces to w when pad is set. Returns columns written. */
int wb_put(int y, int x, int w, const char *s, int align, int pad);
void wb_hline(int y, int x, int w, const char *glyph);
/* n spaces in the current attributes. */
void wb_spaces(int y, int x, int n);

/* ---- cmdline.c ---- */
void wb_cmdline_init(wb_screen *s);
void wb_cmdline_end(void);
/* Feeds one key (a wide character or a KEY_* code) to readline. */
void wb_cmdline_key(wb_screen *s, int is_key, unsigned int ch);
void wb_cmdline_draw(wb_screen *s);
/* Sets the prompt ("wb> " or "/") and clears the line. */
void wb_cmdline_reset(wb_screen *s, const char *prompt);
/* Puts text on the line at the cursor, as if typed. */
void wb_cmdline_insert(wb_screen *s, const char *text);
/* 1 when Esc belongs to readline (vi editing mode, insert keymap) rather than leaving. */
int wb_cmdline_wants_escape(void);

/* ---- pane_data.c ---- */
void wb_data_draw(wb_screen *s, wb_rect r);
/* Handles a key in the Data pane; 1 if used. */
int wb_data_key(wb_screen *s, int is_key, unsigned int ch);
void wb_data_search(wb_screen *s, const char *text, int backward);
/* Computes the sidebar statistics the last draw waited for; 1 if it did (redraw). */
int wb_data_idle(wb_data_view *v);
/* Forgets cached widths/statistics (after any command; the frame may have changed). */
void wb_data_invalidate(wb_screen *s);
void wb_data_free(wb_data_view *v);
extern const char *const wb_data_help[];
/* Writes name into out for a command line, in double quotes when it holds spaces or syntax
 * characters. */
void wb_quote_word(const char *name, char *out, size_t size);

/* ---- pane_results.c ---- */
void wb_results_draw(wb_screen *s, wb_rect r);
int wb_results_key(wb_screen *s, int is_key, unsigned int ch);
void wb_results_select(wb_screen *s, size_t i);
void wb_results_free(wb_results_view *v);
extern const char *const wb_results_help[];

/* ---- pane_graph.c ---- */
void wb_graph_draw(wb_screen *s, wb_rect r);
/* Handles a key in the Graph pane; 1 if used. */
int wb_graph_key(wb_screen *s, int is_key, unsigned int ch);
/* Highlights the next (step 1) or previous (-1) minimal adjustment set. */
void wb_graph_select_set(wb_screen *s, int step);
/* The status line's right side for the Graph pane ("" when there is nothing to say). */
void wb_graph_status(wb_screen *s, char *buf, size_t size);
void wb_graph_view_free(wb_graph_view *v);
extern const char *const wb_graph_help[];
/* ---- pane_timeline.c ---- */
/* Draws the Timeline pane from the live view (also while a job runs). */
void wb_timeline_draw(wb_screen *s, wb_rect r);
/* A key in the Timeline pane while no job runs (p, Space, ., +, -); 1 if used. */
int wb_timeline_key(wb_screen *s, int is_key, unsigned int ch);
/* A key in the Timeline pane while a job runs: pause and speed go straight to the live view;
 * 1 if used (other keys wait for the job). */
int wb_timeline_key_running(wb_screen *s, int is_key, unsigned int ch);
void wb_timeline_free(wb_timeline_view *v);
extern const char *const wb_timeline_help[];

#endif
