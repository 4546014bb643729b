/* accctrl.h - winipc compat header: security descriptor types and constants (see winipc/security.h). */
#include <winipc/security.h>
