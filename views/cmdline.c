/*
 * cmdline.c — the `wb> ` command line: GNU readline through its callback interface, drawn
 * inside curses.
 *
 * curses owns the terminal. readline never reads or writes it: rl_getc_function hands it the
 * byte the screen read with get_wch (UTF-8 bytes one at a time), rl_redisplay_function draws
 * rl_line_buffer/rl_point into the command-line row, the prep/deprep terminal functions are
 * switched off and readline catches no signals (GNU Readline manual, "Alternate Interface"
 * and "Readline Signal Handling"). Curses function keys (arrows, Home, Delete …) are turned
 * into the matching bindable readline commands. History lives in
 * $XDG_STATE_HOME/whybench/history; failing to read or write it is never an error.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#define HISTORY_KEEP 1000

/* readline's callbacks take no context: this is the screen they serve. */
static wb_screen *cur;
static int pending_byte;
static int have_pending;
static char *history_path;
static FILE *devnull;

static int getc_cb(FILE *unused)
{
	(void)unused;
	if (!have_pending)
		return EOF;
	have_pending = 0;
	return pending_byte;
}

static int input_available_cb(void)
{
	return have_pending;
}

/* mkdir -p for the directories of path; errors are ignored (history is optional). */
static void make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
}

static char *history_file(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char buf[PATH_MAX];
	int n;
	if (state && *state == '/')
		n = snprintf(buf, sizeof buf, "%s/whybench/history", state);
	else if (home && *home)
		n = snprintf(buf, sizeof buf, "%s/.local/state/whybench/history", home);
	else
		return NULL;
	if (n < 0 || (size_t)n >= sizeof buf)
		return NULL;
	return strdup(buf);
}

static void remember(const char *line)
{
	HIST_ENTRY *last =
	    history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	if (last && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (!history_path)
		return;
	/* append_history does not create the file */
	FILE *fp = fopen(history_path, "a");
	if (fp) {
		fclose(fp);
		append_history(1, history_path);
	}
}

static void leave(wb_screen *s)
{
	s->cmd_focus = 0;
	s->search_mode = 0;
}

static void line_cb(char *line)
{
	wb_screen *s = cur;
	int search = s->search_mode;
	leave(s);
	rl_set_prompt("wb> ");
	if (!line)
		return; /* Ctrl-D on an empty line: just leave the command line */
	char *text = line;
	while (*text == ' ' || *text == '\t')
		text++;
	if (search) {
		if (*text)
			wb_data_search(s, line, 0);
	} else if (*text) {
		remember(line);
		wb_screen_submit(s, line);
	}
	free(line);
	history_set_pos(history_length);
}

/* Longest common prefix of n strings, cut back to a whole UTF-8 character. */
static char *common_prefix(char **v, size_t n)
{
	size_t len = strlen(v[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && v[i][k] == v[0][k])
			k++;
		len = k;
	}
	while (len > 0 && ((unsigned char)v[0][len] & 0xC0) == 0x80)
		len--;
	return strndup(v[0], len);
}

static char **complete_cb(const char *text, int start, int end)
{
	(void)text;
	rl_attempted_completion_over = 1; /* never fall back to readline's own file names */
	wb_screen *s = cur;
	if (s->search_mode || !s->host->complete)
		return NULL;
	char **c = s->host->complete(s->host->ctx, rl_line_buffer, start, end);
	if (!c)
		return NULL;
	size_t n = 0;
	while (c[n])
		n++;
	if (n == 0) {
		free(c);
		return NULL;
	}
	/* readline wants [0] = the text to insert, then the candidates, then NULL */
	char **m = calloc(n + 2, sizeof *m);
	char *lcp = n > 1 ? common_prefix(c, n) : NULL;
	if (!m || (n > 1 && !lcp)) {
		for (size_t i = 0; i < n; i++)
			free(c[i]);
		free(c);
		free(m);
		free(lcp);
		return NULL;
	}
	if (n == 1) {
		m[0] = c[0];
		size_t len = strlen(c[0]);
		if (len && c[0][len - 1] == '/')
			rl_completion_suppress_append = 1; /* a directory: keep completing inside */
	} else {
		m[0] = lcp;
		memcpy(m + 1, c, n * sizeof *c);
	}
	free(c);
	return m;
}

/* Readline would print the candidates on the terminal; they go to the log instead. */
static void display_matches_cb(char **matches, int n, int max_length)
{
	(void)max_length;
	char buf[1024];
	size_t used = (size_t)snprintf(buf, sizeof buf, "%d candidates:", n);
	for (int i = 1; i <= n && used < sizeof buf - 1; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, " %s", matches[i]);
	wb_screen_log(cur, WB_LOG_INFO, "%s", buf);
	wb_screen_draw(cur);
}

static void redisplay_cb(void)
{
	if (cur)
		wb_cmdline_draw(cur);
}

void wb_cmdline_init(wb_screen *s)
{
	cur = s;
	devnull = fopen("/dev/null", "w");
	rl_readline_name = "whybench";
	rl_instream = stdin;
	rl_outstream = devnull ? devnull : stdout;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = getc_cb;
	rl_input_available_hook = input_available_cb;
	rl_redisplay_function = redisplay_cb;
	rl_attempted_completion_function = complete_cb;
	rl_completion_display_matches_hook = display_matches_cb;
	rl_completer_word_break_characters = " \t;=,";
	rl_completer_quote_characters = "\"";
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("enable-bracketed-paste", "off");

	stifle_history(HISTORY_KEEP);
	history_path = history_file();
	if (history_path) {
		make_parents(history_path);
		read_history(history_path);
	}
	rl_callback_handler_install("wb> ", line_cb);
	history_set_pos(history_length);
}

void wb_cmdline_end(void)
{
	rl_callback_handler_remove();
	if (history_path)
		history_truncate_file(history_path, HISTORY_KEEP);
	rl_clear_history();
	free(history_path);
	history_path = NULL;
	rl_outstream = stdout;
	if (devnull)
		fclose(devnull);
	devnull = NULL;
	cur = NULL;
}

int wb_cmdline_wants_escape(void)
{
	return rl_editing_mode == 0 && rl_get_keymap() != rl_get_keymap_by_name("vi-command");
}

void wb_cmdline_reset(wb_screen *s, const char *prompt)
{
	(void)s;
	rl_callback_sigcleanup(); /* drop a half-typed key sequence or incremental search */
	rl_set_prompt(prompt);
	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	rl_mark = 0;
	history_set_pos(history_length);
}

void wb_cmdline_insert(wb_screen *s, const char *text)
{
	(void)s;
	rl_insert_text(text);
}

static void feed_byte(int b)
{
	pending_byte = b;
	have_pending = 1;
	rl_callback_read_char();
	have_pending = 0;
}

void wb_cmdline_key(wb_screen *s, int is_key, unsigned int ch)
{
	cur = s;
	if (is_key) {
		switch (ch) {
		case KEY_UP:
			rl_get_previous_history(1, 0);
			break;
		case KEY_DOWN:
			rl_get_next_history(1, 0);
			break;
		case KEY_LEFT:
			rl_backward_char(1, 0);
			break;
		case KEY_RIGHT:
			rl_forward_char(1, 0);
			break;
		case KEY_HOME:
			rl_beg_of_line(1, 0);
			break;
		case KEY_END:
			rl_end_of_line(1, 0);
			break;
		case KEY_DC:
			rl_delete(1, 0);
			break;
		case KEY_BACKSPACE:
			rl_rubout(1, 0);
			break;
		case KEY_ENTER:
			feed_byte('\r');
			return;
		default:
			return;
		}
		wb_cmdline_draw(s);
		return;
	}
	char mb[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1)
		return;
	for (size_t i = 0; i < n; i++)
		feed_byte((unsigned char)mb[i]);
}

void wb_cmdline_draw(wb_screen *s)
{
	wb_rect r = s->cmd_r;
	if (s->too_small || r.w <= 0)
		return;
	attrset(A_NORMAL);
	wb_spaces(r.y, r.x, r.w);
	if (s->question) {
		attrset(wb_theme_attr(WB_TH_ERROR));
		wb_put(r.y, r.x + 1, r.w - 1, s->question, 0, 0);
		attrset(A_NORMAL);
		curs_set(0);
		refresh();
		return;
	}
	/* rl_display_prompt is what readline shows now: the prompt, or the
	 * "(reverse-i-search)" message during Ctrl-R */
	const char *prompt = rl_display_prompt ? rl_display_prompt : rl_prompt ? rl_prompt : "wb> ";
	int pw = wb_text_width(prompt);
	attrset(s->cmd_focus ? wb_theme_attr(WB_TH_ECHO) : wb_theme_attr(WB_TH_DIM));
	wb_put(r.y, r.x + 1, pw, prompt, 0, 0);
	attrset(A_NORMAL);
	if (!s->cmd_focus) {
		curs_set(0);
		refresh();
		return;
	}
	/* Scroll horizontally so that the cursor stays on screen. */
	int avail = r.w - 2 - pw;
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	size_t point = rl_point > 0 ? (size_t)rl_point : 0;
	if (point > strlen(line))
		point = strlen(line);
	char *head = strndup(line, point);
	int before = head ? wb_text_width(head) : 0;
	free(head);
	const char *from = line;
	while (before >= avail && *from) {
		/* drop one character from the left */
		const char *next = from + 1;
		while ((*next & 0xC0) == 0x80)
			next++;
		char *one = strndup(from, (size_t)(next - from));
		before -= one ? wb_text_width(one) : 1;
		free(one);
		from = next;
	}
	wb_put(r.y, r.x + 1 + pw, avail, from, 0, 0);
	move(r.y, r.x + 1 + pw + before);
	curs_set(1);
	refresh();
}
