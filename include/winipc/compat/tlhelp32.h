/* tlhelp32.h - winipc compat header: Toolhelp32 types; snapshots are not implemented (see winipc/toolhelp.h). */
#include <winipc/toolhelp.h>
