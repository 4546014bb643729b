/* tlhelp32.h - winipc compat header: Toolhelp32 snapshots (see winipc/toolhelp.h). */
#include <winipc/toolhelp.h>
