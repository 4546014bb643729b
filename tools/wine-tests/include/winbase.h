/* Wine tests include <winbase.h>; winipc has one scaffold for all of them. */
#include "winipc-wine.h"
