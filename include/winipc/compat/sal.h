/* sal.h - winipc compat header: source annotations, which expand to nothing (see winipc.h). */
#include <winipc.h>
