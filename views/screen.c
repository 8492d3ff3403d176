/*
 * screen.c — the workbench screen: layout, tabs, log, status line, help overlay, the main
 * loop and the worker thread that runs commands.
 *
 *   ┌ Data │ Graph │ Results │ … ─────────────── dataset: NAME R×C ┐   row 0
 *   │ the active pane                                              │
 *   ├──────────────────────────────────────────────────────────────┤
 *   │ log (a few lines)                                            │
 *   │ wb> command line                                             │
 *   └ F1/? help · Tab pane · : command · q quit ─── job: X ██░ 40% ┘   row H-1
 *
 * Every key that changes something becomes a command line handed to host->run on a worker
 * thread; while it runs the screen redraws the progress and keeps the keys typed (type-ahead,
 * handled in order when the job ends); Ctrl-C cancels the job and drops the type-ahead.
 * No host function is called while a job runs (the contract in ui.h), so the pane keeps what
 * it showed until the job ends.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const pane_names[WB_NPANES] = {"Data",     "Graph",	  "Results",
						  "Segments", "Timeline", "Funnel"};

/* Panes whose capability has not landed: one sentence naming the command that fills them. */
static const char *const pane_pending[WB_NPANES] = {
    NULL,
    NULL,
    NULL,
    "The segments view has not landed yet; `segment kmeans` will fill it.",
    NULL,
    "The funnel view has not landed yet; `funnel build` will fill it.",
};

static const char *const global_help[] = {
    "Tab / Shift-Tab, 1-6   switch pane",
    ":                      command line: Enter runs, Esc leaves,",
    "                       Up/Down history, Tab completes",
    "? / F1                 this help (j/k, PgUp/PgDn scroll; q/Esc close)",
    "Ctrl-C                 cancel the running job",
    "q                      quit (asks first when there are unsaved changes)",
    NULL,
};

static const char *const empty_help[] = {NULL};

static volatile sig_atomic_t got_signal;
static int curses_active;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* Restores the terminal whatever way the program leaves (exit() from anywhere included). */
static void restore_terminal(void)
{
	if (curses_active && !isendwin())
		endwin();
	curses_active = 0;
}

/* ---- log ---- */

void wb_screen_log(wb_screen *s, wb_log_kind kind, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t at;
	if (s->log_n < WB_LOG_KEEP) {
		at = (s->log_head + s->log_n++) % WB_LOG_KEEP;
	} else {
		at = s->log_head;
		s->log_head = (s->log_head + 1) % WB_LOG_KEEP;
		free(s->log[at]);
	}
	s->log[at] = strdup(buf);
	s->log_kind[at] = kind;
}

/* ---- layout ---- */

static void layout(wb_screen *s)
{
	s->H = LINES;
	s->W = COLS;
	s->too_small = s->H < 10 || s->W < 40;
	int loglines = s->H >= 24 ? 3 : 2;
	s->status_r = (wb_rect){s->H - 1, 1, 1, s->W - 2};
	s->cmd_r = (wb_rect){s->H - 2, 1, 1, s->W - 2};
	s->log_r = (wb_rect){s->H - 2 - loglines, 1, loglines, s->W - 2};
	s->pane_r = (wb_rect){1, 1, s->H - 4 - loglines, s->W - 2};
}

static void refresh_dataset_title(wb_screen *s)
{
	const char *name = NULL;
	const wb_frame *f = s->host->frame(s->host->ctx, &name);
	if (f)
		snprintf(s->dataset_title, sizeof s->dataset_title, "dataset: %s %zu×%zu",
			 name && *name ? name : "(unnamed)", wb_frame_nrows(f), wb_frame_ncols(f));
	else
		snprintf(s->dataset_title, sizeof s->dataset_title, "no dataset");
}

/* ---- drawing ---- */

static void draw_tabs(wb_screen *s)
{
	int W = s->W;
	attrset(wb_theme_attr(WB_TH_BORDER));
	mvaddstr(0, 0, "┌");
	wb_hline(0, 1, W - 2, "─");
	mvaddstr(0, W - 1, "┐");
	attrset(A_NORMAL);
	int x = 1 + wb_put(0, 1, 1, " ", 0, 0);
	for (int p = 0; p < WB_NPANES && x < W - 2; p++) {
		if (p > 0) {
			attrset(wb_theme_attr(WB_TH_BORDER));
			x += wb_put(0, x, W - 2 - x, " │ ", 0, 0);
		}
		attrset(p == s->pane ? wb_theme_attr(WB_TH_TAB_ACTIVE)
				     : wb_theme_attr(WB_TH_NORMAL));
		x += wb_put(0, x, W - 2 - x, pane_names[p], 0, 0);
	}
	attrset(A_NORMAL);
	if (x < W - 2)
		mvaddstr(0, x, " ");
	x++;
	char title[200];
	snprintf(title, sizeof title, " %s ", s->dataset_title);
	int tw = wb_text_width(title);
	if (x + 2 + tw <= W - 1)
		wb_put(0, W - 1 - tw, tw, title, 0, 0);
}

static void draw_status(wb_screen *s)
{
	int W = s->W, y = s->H - 1;
	attrset(wb_theme_attr(WB_TH_BORDER));
	mvaddstr(y, 0, "└");
	wb_hline(y, 1, W - 2, "─");
	mvaddstr(y, W - 1, "┘");
	attrset(A_NORMAL);
	int left = wb_put(y, 2, W - 4, " F1/? help · Tab pane · : command · q quit ", 0, 0);

	char right[200];
	right[0] = '\0';
	if (s->job_running) {
		double f = wb_progress_get(&s->progress);
		int pct = (int)(f * 100 + 0.5), full = (int)(f * 10);
		char label[sizeof s->progress.label + 4];
		snprintf(label, sizeof label, "%.*s", (int)sizeof s->progress.label - 1,
			 s->progress.label);
		if (wb_text_width(label) > 24) {
			size_t cut = 21;
			while (cut > 0 && ((unsigned char)label[cut] & 0xC0) == 0x80)
				cut--;
			strcpy(label + cut, "…");
		}
		char bar[64] = "";
		for (int i = 0; i < 10; i++)
			strcat(bar, i < full ? "█" : "░");
		int lw = wb_text_width(label);
		int need = 6 + lw + 1 + 10 + 6;
		int x = W - 2 - need;
		if (x > left + 2) {
			x += wb_put(y, x, need, " job: ", 0, 0);
			x += wb_put(y, x, lw, label, 0, 0);
			x += wb_put(y, x, 1, " ", 0, 0);
			attrset(wb_theme_attr(WB_TH_PROGRESS));
			x += wb_put(y, x, 10, bar, 0, 0);
			attrset(A_NORMAL);
			char p[16];
			snprintf(p, sizeof p, " %3d%% ", pct);
			wb_put(y, x, 6, p, 0, 0);
		}
		if (atomic_load(&s->progress.cancel)) {
			attrset(wb_theme_attr(WB_TH_ERROR));
			wb_put(y, left + 3, x - left - 4 > 0 ? 12 : 0, " cancelling ", 0, 0);
			attrset(A_NORMAL);
		}
		return;
	}
	if (s->pane == WB_PANE_DATA && s->data.frame && s->data.nrows && s->data.ncols) {
		snprintf(right, sizeof right, " row %zu of %zu · col %zu of %zu ", s->data.row + 1,
			 s->data.nrows, s->data.col + 1, s->data.ncols);
	} else if (s->pane == WB_PANE_GRAPH) {
		wb_graph_status(s, right, sizeof right);
	}
	int rw = wb_text_width(right);
	if (rw && W - 2 - rw > left + 3)
		wb_put(y, W - 2 - rw, rw, right, 0, 0);
}

static void draw_log(wb_screen *s)
{
	wb_rect r = s->log_r;
	size_t show = s->log_n < (size_t)r.h ? s->log_n : (size_t)r.h;
	for (int i = 0; i < r.h; i++) {
		attrset(A_NORMAL);
		wb_spaces(r.y + i, r.x, r.w);
	}
	for (size_t i = 0; i < show; i++) {
		size_t k = (s->log_head + s->log_n - show + i) % WB_LOG_KEEP;
		wb_role role = WB_TH_NORMAL;
		switch (s->log_kind[k]) {
		case WB_LOG_ECHO:
			role = WB_TH_ECHO;
			break;
		case WB_LOG_ERROR:
			role = WB_TH_ERROR;
			break;
		case WB_LOG_INFO:
			role = WB_TH_DIM;
			break;
		default:
			break;
		}
		attrset(wb_theme_attr(role));
		wb_put(r.y + (r.h - (int)show) + (int)i, r.x + 1, r.w - 2, s->log[k], 0, 0);
	}
	attrset(A_NORMAL);
}

static void draw_frame(wb_screen *s)
{
	attrset(wb_theme_attr(WB_TH_BORDER));
	for (int y = 1; y < s->H - 1; y++) {
		mvaddstr(y, 0, "│");
		mvaddstr(y, s->W - 1, "│");
	}
	int sep = s->log_r.y - 1;
	mvaddstr(sep, 0, "├");
	wb_hline(sep, 1, s->W - 2, "─");
	mvaddstr(sep, s->W - 1, "┤");
	attrset(A_NORMAL);
}

static void draw_pending(wb_screen *s, wb_rect r, const char *msg)
{
	attrset(A_NORMAL);
	int y = r.y + r.h / 2 - 1;
	int w = wb_text_width(msg);
	int x = r.x + (w < r.w ? (r.w - w) / 2 : 1);
	wb_put(y, x, r.w - (x - r.x), msg, 0, 0);
}

static void draw_help(wb_screen *s)
{
	wb_rect r = s->pane_r;
	int x0 = r.x + 2, w = r.w - 4, y0 = r.y + 1, h = r.h - 2;
	if (w < 20 || h < 4) {
		x0 = r.x, w = r.w, y0 = r.y, h = r.h;
	}
	attrset(wb_theme_attr(WB_TH_BORDER));
	mvaddstr(y0, x0, "╭");
	wb_hline(y0, x0 + 1, w - 2, "─");
	mvaddstr(y0, x0 + w - 1, "╮");
	for (int y = y0 + 1; y < y0 + h - 1; y++) {
		mvaddstr(y, x0, "│");
		attrset(A_NORMAL);
		wb_spaces(y, x0 + 1, w - 2);
		attrset(wb_theme_attr(WB_TH_BORDER));
		mvaddstr(y, x0 + w - 1, "│");
	}
	mvaddstr(y0 + h - 1, x0, "╰");
	wb_hline(y0 + h - 1, x0 + 1, w - 2, "─");
	mvaddstr(y0 + h - 1, x0 + w - 1, "╯");
	attrset(wb_theme_attr(WB_TH_HEADER));
	char title[80];
	snprintf(title, sizeof title, " Help: %s pane ", pane_names[s->pane]);
	wb_put(y0, x0 + 2, w - 4, title, 0, 0);
	attrset(A_NORMAL);
	wb_put(y0 + h - 1, x0 + w - 32 > x0 ? x0 + w - 32 : x0 + 1, 30,
	       " j/k scroll · q/Esc close ", 0, 0);
	int rows = h - 2;
	if (s->help_top > s->help_n - rows)
		s->help_top = s->help_n - rows;
	if (s->help_top < 0)
		s->help_top = 0;
	for (int i = 0; i < rows && s->help_top + i < s->help_n; i++) {
		const char *line = s->help_lines[s->help_top + i];
		int head =
		    line[0] && line[0] != ' ' && strchr(line, ':') == line + strlen(line) - 1;
		attrset(head ? wb_theme_attr(WB_TH_HEADER) : wb_theme_attr(WB_TH_NORMAL));
		wb_put(y0 + 1 + i, x0 + 2, w - 4, line, 0, 0);
	}
	attrset(A_NORMAL);
}

void wb_screen_draw(wb_screen *s)
{
	if (s->too_small) {
		erase();
		mvaddstr(0, 0, "terminal too small");
		curs_set(0);
		refresh();
		return;
	}
	if (s->job_running) {
		/* The host is busy: only what the screen owns is redrawn, and the Timeline pane,
		 * which reads the thread-safe live view of the simulation. */
		if (s->pane == WB_PANE_TIMELINE && !s->help_open) {
			draw_tabs(s);
			draw_frame(s);
			wb_timeline_draw(s, s->pane_r);
		}
		draw_log(s);
		draw_status(s);
		wb_cmdline_draw(s);
		return;
	}
	erase();
	draw_tabs(s);
	draw_frame(s);
	switch (s->pane) {
	case WB_PANE_DATA:
		wb_data_draw(s, s->pane_r);
		break;
	case WB_PANE_RESULTS:
		wb_results_draw(s, s->pane_r);
		break;
	case WB_PANE_GRAPH:
		wb_graph_draw(s, s->pane_r);
		break;
	case WB_PANE_TIMELINE:
		wb_timeline_draw(s, s->pane_r);
		break;
	default:
		draw_pending(s, s->pane_r, pane_pending[s->pane]);
		break;
	}
	if (s->help_open)
		draw_help(s);
	draw_log(s);
	draw_status(s);
	wb_cmdline_draw(s); /* last: it leaves the cursor in place and refreshes */
}

/* Full redraw after a resize, also while a job runs (the pane then says what is running). */
static void redraw_resized(wb_screen *s)
{
	layout(s);
	if (!s->job_running || s->too_small) {
		wb_screen_draw(s);
		return;
	}
	erase();
	draw_tabs(s);
	draw_frame(s);
	char msg[128];
	snprintf(msg, sizeof msg, "running: %s (Ctrl-C cancels)", s->progress.label);
	draw_pending(s, s->pane_r, msg);
	wb_screen_draw(s);
}

/* ---- help overlay ---- */

static void help_free(wb_screen *s)
{
	for (int i = 0; i < s->help_n; i++)
		free(s->help_lines[i]);
	free(s->help_lines);
	s->help_lines = NULL;
	s->help_n = 0;
}

static void help_add(wb_screen *s, const char *line)
{
	char **grown = realloc(s->help_lines, (size_t)(s->help_n + 1) * sizeof *grown);
	char *copy = strdup(line);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			s->help_lines = grown;
		return;
	}
	s->help_lines = grown;
	s->help_lines[s->help_n++] = copy;
}

static void help_open(wb_screen *s)
{
	help_free(s);
	const char *const *keys = s->pane == WB_PANE_DATA       ? wb_data_help
				  : s->pane == WB_PANE_RESULTS  ? wb_results_help
				  : s->pane == WB_PANE_GRAPH    ? wb_graph_help
				  : s->pane == WB_PANE_TIMELINE ? wb_timeline_help
								: empty_help;
	char head[64];
	snprintf(head, sizeof head, "%s pane keys:", pane_names[s->pane]);
	help_add(s, head);
	if (pane_pending[s->pane])
		help_add(s, pane_pending[s->pane]);
	for (size_t i = 0; keys[i]; i++)
		help_add(s, keys[i]);
	help_add(s, "");
	help_add(s, "Everywhere:");
	for (size_t i = 0; global_help[i]; i++)
		help_add(s, global_help[i]);
	char *text = s->host->help ? s->host->help(s->host->ctx, NULL) : NULL;
	if (text) {
		help_add(s, "");
		help_add(s, "Commands:");
		/* split by hand: strtok would drop the empty lines */
		for (char *p = text; p;) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			help_add(s, p);
			p = nl ? nl + 1 : NULL;
			if (p && !*p)
				break;
		}
		free(text);
	}
	s->help_open = 1;
	s->help_top = 0;
}

static void help_key(wb_screen *s, int is_key, unsigned int ch)
{
	int page = s->pane_r.h - 4 > 1 ? s->pane_r.h - 4 : 1;
	if ((!is_key && (ch == 'q' || ch == 27 || ch == '?')) || (is_key && ch == KEY_F(1))) {
		s->help_open = 0;
		help_free(s);
	} else if ((is_key && ch == KEY_DOWN) || (!is_key && (ch == 'j' || ch == '\n')))
		s->help_top++;
	else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k'))
		s->help_top--;
	else if ((is_key && ch == KEY_NPAGE) || (!is_key && (ch == ' ' || ch == 6)))
		s->help_top += page;
	else if ((is_key && ch == KEY_PPAGE) || (!is_key && ch == 2))
		s->help_top -= page;
	else if ((is_key && ch == KEY_HOME) || (!is_key && ch == 'g'))
		s->help_top = 0;
	else if ((is_key && ch == KEY_END) || (!is_key && ch == 'G'))
		s->help_top = s->help_n;
}

/* ---- jobs ---- */

static void *worker_main(void *arg)
{
	wb_screen *s = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	s->job_rc = s->host->run(s->host->ctx, s->job_line, &s->progress);
	atomic_store(&s->job_finished, 1);
	return NULL;
}

void wb_screen_submit(wb_screen *s, const char *line)
{
	if (s->job_running)
		return;
	wb_screen_log(s, WB_LOG_ECHO, "wb> %s", line);
	free(s->job_line);
	s->job_line = strdup(line);
	if (!s->job_line)
		return;
	const char *label = line;
	while (*label == ' ')
		label++;
	/* a simulation is set up and run in the Timeline pane (its tables still land in the
	 * results list; `bandit show` and `bandit customers` show theirs) */
	s->job_timeline = strncmp(label, "bandit ", 7) == 0 && strncmp(label, "bandit show", 11) != 0 &&
			  strncmp(label, "bandit customers", 16) != 0;
	if (s->job_timeline)
		s->pane = WB_PANE_TIMELINE;
	wb_progress_init(&s->progress, label);
	atomic_store(&s->job_finished, 0);
	s->job_running = 1;
	if (pthread_create(&s->worker, NULL, worker_main, s) != 0) {
		/* no thread: run in place (the screen freezes for the duration) */
		s->job_rc = s->host->run(s->host->ctx, s->job_line, &s->progress);
		atomic_store(&s->job_finished, 1);
		s->worker = pthread_self();
	}
	wb_screen_draw(s);
}

/* After a run: log new results, pick the pane to show, notice a changed dataset. */
static void finish_job(wb_screen *s)
{
	if (!pthread_equal(s->worker, pthread_self()))
		pthread_join(s->worker, NULL);
	s->job_running = 0;
	wb_progress_done(&s->progress);
	const wb_ui_host *h = s->host;
	if (s->job_rc < 0) {
		const char *msg = h->last_error ? h->last_error(h->ctx) : NULL;
		wb_screen_log(s, WB_LOG_ERROR, "error: %s", msg && *msg ? msg : "command failed");
	}
	size_t n = h->n_results(h->ctx);
	long show = -1;
	for (size_t i = s->seen_results; i < n; i++) {
		const wb_result *r = h->result(h->ctx, i);
		if (!r)
			continue;
		size_t rows = wb_result_nrows(r);
		if (rows > 0) {
			wb_screen_log(s, WB_LOG_RESULT, "→ %s  (%zu×%zu)", wb_result_title(r), rows,
				      wb_result_ncols(r));
			show = (long)i;
		} else if (wb_result_nnotes(r) > 0) {
			wb_screen_log(s, WB_LOG_RESULT, "→ %s", wb_result_note(r, 0));
		} else {
			wb_screen_log(s, WB_LOG_RESULT, "→ %s", wb_result_title(r));
		}
	}
	if (n < s->seen_results) /* the host dropped results: start the selection over */
		s->results.have_sel = 0;
	s->seen_results = n;
	if (show >= 0) {
		wb_results_select(s, (size_t)show);
		if (!s->job_timeline)
			s->pane = WB_PANE_RESULTS;
	}
	wb_data_invalidate(s);
	s->results.wfor = NULL; /* result widths are measured again */
	const wb_frame *f = h->frame(h->ctx, NULL);
	size_t nr = f ? wb_frame_nrows(f) : 0, nc = f ? wb_frame_ncols(f) : 0;
	if (f != s->seen_frame || nr != s->seen_nrows || nc != s->seen_ncols) {
		s->pane = WB_PANE_DATA;
		s->seen_frame = f;
		s->seen_nrows = nr;
		s->seen_ncols = nc;
	}
	/* a graph made or loaded (not an edit of the one shown) brings the Graph pane up, unless
	 * the command also made a table to read (discover: its edge list) */
	const wb_graph *g = h->graph ? h->graph(h->ctx, NULL) : NULL;
	if (g != s->seen_graph) {
		if (g && show < 0)
			s->pane = WB_PANE_GRAPH;
		s->seen_graph = g;
	}
	refresh_dataset_title(s);
	if (h->quit_requested && h->quit_requested(h->ctx))
		s->quit = 1;
}

/* ---- keys ---- */

static void ask_quit(wb_screen *s)
{
	if (s->host->dirty && s->host->dirty(s->host->ctx))
		s->question = "Unsaved changes — quit anyway? (y/n)";
	else
		s->quit = 1;
}

static void focus_cmdline(wb_screen *s, int search)
{
	s->cmd_focus = 1;
	s->search_mode = search;
	wb_cmdline_reset(s, search ? "/" : "wb> ");
}

void wb_screen_prompt(wb_screen *s, const char *text)
{
	focus_cmdline(s, 0);
	wb_cmdline_insert(s, text);
}

static void handle_key(wb_screen *s, int is_key, unsigned int ch)
{
	if (is_key && ch == KEY_RESIZE) {
		redraw_resized(s);
		return;
	}
	if (s->job_running) {
		if (!is_key && ch == 3) {
			wb_progress_request_cancel(&s->progress);
			wb_screen_log(s, WB_LOG_INFO, "cancelling %s …", s->progress.label);
			s->nahead = 0; /* like a terminal's interrupt, Ctrl-C drops the type-ahead */
		} else if (s->pane == WB_PANE_TIMELINE && wb_timeline_key_running(s, is_key, ch)) {
			/* pause and speed go straight to the running simulation */
		} else if (s->nahead < WB_TYPEAHEAD_MAX) {
			/* other keys wait for the job, in order, as a shell's type-ahead */
			s->ahead[s->nahead].is_key = is_key;
			s->ahead[s->nahead].ch = ch;
			s->nahead++;
		}
		return;
	}
	if (s->question) {
		s->question = NULL;
		if (!is_key && (ch == 'y' || ch == 'Y'))
			s->quit = 1;
		return;
	}
	if (s->help_open) {
		help_key(s, is_key, ch);
		return;
	}
	if (s->cmd_focus) {
		if (!is_key && (ch == 3 || (ch == 27 && !wb_cmdline_wants_escape()))) {
			s->cmd_focus = 0;
			s->search_mode = 0;
			wb_cmdline_reset(s, "wb> ");
			return;
		}
		wb_cmdline_key(s, is_key, ch);
		return;
	}
	if (is_key) {
		switch (ch) {
		case KEY_F(1):
			help_open(s);
			return;
		case KEY_BTAB:
			s->pane = (s->pane + WB_NPANES - 1) % WB_NPANES;
			return;
		default:
			break;
		}
	} else {
		switch (ch) {
		case 'q':
			ask_quit(s);
			return;
		case ':':
			focus_cmdline(s, 0);
			return;
		case '/':
			if (s->pane == WB_PANE_DATA && s->data.frame)
				focus_cmdline(s, 1);
			else
				wb_screen_log(s, WB_LOG_INFO, "/ searches the Data pane");
			return;
		case '?':
			help_open(s);
			return;
		case '\t':
			s->pane = (s->pane + 1) % WB_NPANES;
			return;
		default:
			if (ch >= '1' && ch < '1' + WB_NPANES) {
				s->pane = (int)(ch - '1');
				return;
			}
			break;
		}
	}
	if (s->pane == WB_PANE_DATA)
		wb_data_key(s, is_key, ch);
	else if (s->pane == WB_PANE_RESULTS)
		wb_results_key(s, is_key, ch);
	else if (s->pane == WB_PANE_GRAPH)
		wb_graph_key(s, is_key, ch);
	else if (s->pane == WB_PANE_TIMELINE)
		wb_timeline_key(s, is_key, ch);
}

/* ---- main ---- */

static void screen_free(wb_screen *s)
{
	for (size_t i = 0; i < s->log_n; i++)
		free(s->log[(s->log_head + i) % WB_LOG_KEEP]);
	help_free(s);
	free(s->job_line);
	wb_data_free(&s->data);
	wb_results_free(&s->results);
	wb_graph_view_free(&s->graph);
	wb_timeline_free(&s->timeline);
}

int wb_ui_main(const wb_ui_host *host, const char *const *startup, size_t nstartup, wb_err *err)
{
	if (!host || !host->run || !host->n_results || !host->result || !host->frame)
		return wb_err_set(err, WB_EINVAL, "wb_ui_main: incomplete host");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return wb_err_set(err, WB_EINVAL,
				  "the workbench needs a terminal; use -b SCRIPT or -e 'commands' "
				  "to run without one");
	/* wide characters and UTF-8 box drawing; with no locale set (a bare ssh or container
	 * session) assume the terminal speaks UTF-8 rather than drawing '?' */
	const char *loc = setlocale(LC_CTYPE, "");
	if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		return wb_err_set(err, WB_EINVAL, "cannot use terminal type '%s'",
				  term ? term : "(unset)");
	}
	static int registered;
	if (!registered && atexit(restore_terminal) == 0)
		registered = 1;
	curses_active = 1;
	raw(); /* Ctrl-C arrives as key 3: it cancels the job, not the program */
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	wb_theme_init();

	struct sigaction sa, old_int, old_term, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	got_signal = 0;

	wb_screen *s = calloc(1, sizeof *s);
	if (!s) {
		restore_terminal();
		delscreen(scr);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	s->host = host;
	s->startup = startup;
	s->nstartup = startup ? nstartup : 0;
	s->seen_frame = host->frame(host->ctx, NULL);
	s->seen_nrows = s->seen_frame ? wb_frame_nrows(s->seen_frame) : 0;
	s->seen_ncols = s->seen_frame ? wb_frame_ncols(s->seen_frame) : 0;
	s->seen_results = host->n_results(host->ctx);
	s->seen_graph = host->graph ? host->graph(host->ctx, NULL) : NULL;
	refresh_dataset_title(s);
	layout(s);
	wb_cmdline_init(s);

	while (!s->quit && !got_signal) {
		if (s->job_running && atomic_load(&s->job_finished))
			finish_job(s);
		/* keys typed during the job, until one of them starts another */
		size_t k = 0;
		while (k < s->nahead && !s->job_running && !s->quit) {
			handle_key(s, s->ahead[k].is_key, s->ahead[k].ch);
			k++;
		}
		if (k > 0) {
			memmove(s->ahead, s->ahead + k, (s->nahead - k) * sizeof s->ahead[0]);
			s->nahead -= k;
		}
		/* a script that runs a simulation: show it being drawn (once per job) */
		if (s->job_running && !s->job_timeline && s->host->bandit_live &&
		    wb_bandit_live_running(s->host->bandit_live(s->host->ctx))) {
			s->job_timeline = 1;
			s->pane = WB_PANE_TIMELINE;
		}
		if (!s->job_running && !s->quit && s->next_startup < s->nstartup)
			wb_screen_submit(s, s->startup[s->next_startup++]);
		if (s->quit)
			break;
		wb_screen_draw(s);
		/* slow sidebar statistics wait until the keyboard has been idle a moment */
		int idle_work = !s->job_running && s->pane == WB_PANE_DATA && !s->help_open &&
				s->data.stats_wanted;
		/* ~30 frames a second while the Timeline pane watches a run */
		int watching = s->job_running && s->pane == WB_PANE_TIMELINE;
		timeout(watching ? 33 : s->job_running ? 50 : idle_work ? 60 : 250);
		wint_t wc;
		int r = get_wch(&wc);
		if (r == ERR) {
			if (idle_work)
				wb_data_idle(&s->data);
			continue;
		}
		handle_key(s, r == KEY_CODE_YES, (unsigned int)wc);
	}
	if (s->job_running) {
		/* leaving while a job runs (a signal): cancel it and wait */
		wb_progress_request_cancel(&s->progress);
		if (!pthread_equal(s->worker, pthread_self()))
			pthread_join(s->worker, NULL);
		s->job_running = 0;
	}
	wb_cmdline_end();
	restore_terminal();
	delscreen(scr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	screen_free(s);
	free(s);
	return 0;
}
