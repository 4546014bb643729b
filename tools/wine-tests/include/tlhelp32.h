/* Wine tests include <tlhelp32.h>; winipc has one scaffold for all of them. */
#include "winipc-wine.h"
