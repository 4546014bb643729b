/* io.h - winipc compat header: the C runtime's names of POSIX calls (see winipc/crt_posix.h). */
#include <winipc/crt_posix.h>
