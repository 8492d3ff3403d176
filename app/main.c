/* main.c — whybench: the workbench screen, or batch runs of scripts and commands. */
#include "app.h"
#include "help.h"
#include "host.h"
#include "lex.h"
#include "render.h"
#include "session.h"

#include "../engine/err.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: whybench [FILE...]                      open the workbench (FILE: .csv, .wb, .wbw)\n"
	"       whybench [--json] -b SCRIPT.wb [FILE...]  run a script without the screen\n"
	"       whybench [--json] -e 'CMD; CMD' [FILE...] run commands without the screen\n"
	"       whybench --man | --version | --help\n";

static void emit_text(void *ctx, const wb_result *r)
{
	static int first = 1;
	(void)ctx;
	if (!first && (wb_result_ncols(r) > 0 || *wb_result_title(r)))
		fputc('\n', stdout);
	first = 0;
	wb_render_text(r, stdout);
}

static void emit_json(void *ctx, const wb_result *r)
{
	(void)ctx;
	wb_render_json(r, stdout);
}

typedef struct step {
	char kind; /* 'b' script, 'e' commands */
	const char *arg;
} step;

static int run_batch(wb_session *s, step *steps, size_t nsteps, char **files, size_t nfiles,
		     int json)
{
	wb_session_set_emitter(s, json ? emit_json : emit_text, NULL);
	wb_err err;
	wb_err_clear(&err);
	int rc = 0;
	for (size_t i = 0; i < nfiles && rc == 0; i++) {
		char *q = wb_lex_quote(files[i]);
		char line[4200];
		snprintf(line, sizeof line, "open %s", q ? q : files[i]);
		free(q);
		rc = wb_session_run_line(s, line, NULL, &err);
	}
	long eline = 0;
	for (size_t i = 0; i < nsteps && rc == 0 && !wb_session_quit_requested(s); i++) {
		if (steps[i].kind == 'b') {
			rc = wb_session_run_script(s, steps[i].arg, 0, &err);
		} else {
			eline++;
			if ((rc = wb_session_run_line(s, steps[i].arg, NULL, &err)))
				wb_err_prefix(&err, "-e:%ld", eline);
		}
	}
	fflush(stdout);
	if (rc) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	return 0;
}

static int run_screen(wb_session *s, char **files, size_t nfiles)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "whybench: the workbench needs a terminal; use -b SCRIPT or -e COMMANDS "
				"to run without one\n");
		return 2;
	}
	wb_session_set_interactive(s, 1);
	char **lines = calloc(nfiles ? nfiles : 1, sizeof *lines);
	if (!lines)
		return 1;
	size_t n = 0;
	for (size_t i = 0; i < nfiles; i++) {
		char *q = wb_lex_quote(files[i]);
		size_t len = strlen(q ? q : "") + 32;
		if (q && (lines[n] = malloc(len)))
			snprintf(lines[n++], len, "open %s", q);
		free(q);
	}
	wb_ui_host host;
	wb_host_init(&host, s);
	wb_err err;
	wb_err_clear(&err);
	int rc = wb_ui_main(&host, (const char *const *)lines, n, &err);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (rc) {
		fprintf(stderr, "whybench: %s\n", err.msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	wb_err_gsl_init();

	step *steps = calloc((size_t)argc, sizeof *steps);
	char **files = calloc((size_t)argc, sizeof *files);
	size_t nsteps = 0, nfiles = 0;
	int json = 0, status = 0;
	if (!steps || !files)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("whybench %s\n", wb_version);
			goto out;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			goto out;
		} else if (strcmp(a, "--man") == 0) {
			wb_help_man(stdout);
			goto out;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "-b") == 0 || strcmp(a, "-e") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "whybench: %s needs an argument\n%s", a, usage);
				status = 2;
				goto out;
			}
			steps[nsteps++] = (step){a[1], argv[++i]};
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "whybench: unknown option '%s'\n%s", a, usage);
			status = 2;
			goto out;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	wb_session *s = wb_session_new();
	if (!s) {
		fprintf(stderr, "whybench: out of memory\n");
		status = 1;
		goto out;
	}
	if (nsteps)
		status = run_batch(s, steps, nsteps, files, nfiles, json);
	else if (json) {
		fprintf(stderr, "whybench: --json goes with -b or -e\n%s", usage);
		status = 2;
	} else
		status = run_screen(s, files, nfiles);
	wb_session_free(s);
out:
	free(steps);
	free(files);
	return status;
}
