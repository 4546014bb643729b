/* strsafe.h - winipc compat header: the StringCch and StringCb functions (see winipc/strsafe.h). */
#include <winipc/strsafe.h>
