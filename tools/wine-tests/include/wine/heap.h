/* Wine tests include <wine/heap.h>; winipc has one scaffold for all of them. */
#include "winipc-wine.h"
