/* intrin.h - winipc compat header: MSVC intrinsics (see winipc/intrin.h). */
#include <winipc/intrin.h>
