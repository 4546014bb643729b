/* winternl.h - winipc compat header: NTSTATUS values and native API types (see winipc/nt.h). */
#include <winipc/nt.h>
