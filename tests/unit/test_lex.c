/* Unit tests for the command language lexer (app/lex.c). */
#include "../../app/lex.h"
#include "../tap.h"

#include <stdlib.h>

/* Lexes line and renders the tokens as "W:word O:key=value E:->", commands split by " | ". */
static char *show(const char *line)
{
	static char out[1024];
	wb_command_text *c;
	size_t n;
	wb_err err;
	if (wb_lex_line(line, &c, &n, &err)) {
		snprintf(out, sizeof out, "error: %s", err.msg);
		return out;
	}
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			len += (size_t)snprintf(out + len, sizeof out - len, " | ");
		for (size_t k = 0; k < c[i].ntokens; k++) {
			const wb_token *t = &c[i].tokens[k];
			const char *sep = k ? " " : "";
			if (t->kind == WB_TOK_OPTION)
				len += (size_t)snprintf(out + len, sizeof out - len, "%sO:%s=%s", sep, t->text, t->value);
			else if (t->kind == WB_TOK_EDGE)
				len += (size_t)snprintf(out + len, sizeof out - len, "%sE:%s", sep, t->text);
			else
				len += (size_t)snprintf(out + len, sizeof out - len, "%s%s:%s", sep,
							t->quoted ? "Q" : "W", t->text);
		}
	}
	wb_lex_free(c, n);
	return out;
}

int main(void)
{
	streq(show("load data/fans.csv as fans"), "W:load W:data/fans.csv W:as W:fans", "plain words");
	streq(show("  describe ;; head 5 # a comment; not a command"), "W:describe | W:head W:5",
	      "; separates, empty commands vanish, # ends the line");
	streq(show("discover pc alpha=0.01 tiers=\"A,B | C\""),
	      "W:discover W:pc O:alpha=0.01 O:tiers=A,B | C", "options, quoted value with | and ,");
	streq(show("graph edge A -> B"), "W:graph W:edge W:A E:-> W:B", "spaced edge");
	streq(show("graph edge A->B; graph edge C<->D; graph edge E--F"),
	      "W:graph W:edge W:A E:-> W:B | W:graph W:edge W:C E:<-> W:D | W:graph W:edge W:E E:-- W:F",
	      "attached edges of each kind");
	streq(show("refute random-cause n=100"), "W:refute W:random-cause O:n=100",
	      "a dash inside a word is not an edge");
	streq(show("load \"my data.csv\" as 'x;y'"), "W:load Q:my data.csv W:as Q:x;y",
	      "quotes keep blanks and ;");
	streq(show("echo \"a \\\"quoted\\\" word\""), "W:echo Q:a \"quoted\" word", "escaped quotes");
	streq(show("filter `Hours Played` > 3 # x"), "W:filter W:`Hours Played` W:> W:3",
	      "back quotes stay in the word");
	streq(show("derive x = a == \"b#c\""), "W:derive W:x W:= W:a W:== Q:b#c",
	      "# inside quotes is text; == is not an option");
	streq(show("set seed=\"4 2\""), "W:set O:seed=4 2", "quoted option value");
	streq(show("load \"oops"), "error: column 6: unterminated \"-quoted string",
	      "unterminated double quote");
	streq(show("filter `a b > 1"), "error: column 8: unterminated `-quoted name",
	      "unterminated back quote");
	streq(show("# only a comment"), "", "comment-only line has no command");

	wb_command_text *c;
	size_t n;
	wb_err err;
	ok(wb_lex_line("derive y = log(x + 1) ; filter y > 2", &c, &n, &err) == 0 && n == 2,
	   "two commands");
	streq(c[0].text, "derive y = log(x + 1)", "command text is trimmed");
	ok(c[0].tokens[2].pos == 9, "token offset within the command text (got %zu)", c[0].tokens[2].pos);
	wb_lex_free(c, n);

	ok(wb_lex_command_start("load x; desc", 12) == 7, "completion starts after the last ;");
	ok(wb_lex_command_start("filter a == \";\" and b", 21) == 0, "a quoted ; does not count");

	char *q = wb_lex_quote("plain_name.csv");
	streq(q, "plain_name.csv", "plain words are not quoted");
	free(q);
	q = wb_lex_quote("my \"big\" file");
	streq(q, "\"my \\\"big\\\" file\"", "quoting escapes quotes");
	free(q);
	q = wb_lex_quote("");
	streq(q, "\"\"", "the empty string is quoted");
	free(q);
	return done();
}
