/* stringapiset.h - winipc compat header: the Win32 subset winipc implements (see winipc.h). */
#include <winipc.h>
