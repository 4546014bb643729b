/* conio.h - winipc compat header: Microsoft's console I/O routines (see winipc/conio.h). */
#include <winipc/conio.h>
