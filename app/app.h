/*
 * app.h — the program's version string (the command layer's own headers sit beside this).
 */
#ifndef WB_APP_H
#define WB_APP_H

extern const char wb_version[];

#endif
