/* Wine tests include <winnls.h>; winipc has one scaffold for all of them. */
#include "winipc-wine.h"
