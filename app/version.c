#include "app.h"
#include "config.h"

const char wb_version[] = PACKAGE_VERSION;
