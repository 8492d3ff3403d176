/*
 * host.h — the session seen by the screen: fills a wb_ui_host (views/ui.h) whose callbacks
 * run commands, list results and datasets, complete words and give help.
 */
#ifndef WB_HOST_H
#define WB_HOST_H

#include "../views/ui.h"
#include "session.h"

/* Fills host with callbacks over s (which must outlive the screen). */
void wb_host_init(wb_ui_host *host, wb_session *s);

/* Completion candidates, as wb_ui_host.complete (exposed for tests). */
char **wb_host_complete(wb_session *s, const char *line, int start, int end);

#endif
