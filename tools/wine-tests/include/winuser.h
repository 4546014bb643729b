/* Wine tests include <winuser.h>; winipc has one scaffold for all of them. */
#include "winipc-wine.h"
