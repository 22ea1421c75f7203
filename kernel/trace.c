// SPDX-License-Identifier: GPL-2.0
/*
 * The one file that creates hpmm's tracepoints (kernel/trace.h). Components
 * include "../trace.h" and call trace_<event>(); nothing here is exported:
 * the module is a single object, so its other files see the tracepoints
 * directly.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
