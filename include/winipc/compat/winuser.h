/* winuser.h - winipc compat header: MessageBox and its constants (see winipc.h). */
#include <winipc.h>
