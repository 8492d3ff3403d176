/* main.c — whybench entry point. */
#include "app.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("whybench %s\n", wb_version);
		return 0;
	}
	fprintf(stderr, "whybench: the command layer is being assembled; try --version\n");
	return 1;
}
