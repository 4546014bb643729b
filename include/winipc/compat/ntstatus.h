/* ntstatus.h - winipc compat header: NTSTATUS values (see winipc/nt.h). */
#include <winipc/nt.h>
