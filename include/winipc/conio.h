/*
 * winipc/conio.h - Microsoft's console I/O routines (<conio.h>) for systems other
 * than Windows (posix/console.c). Include <conio.h> from the compat directory.
 *
 * When stdin is a terminal, _getch and friends read one key without waiting for
 * Enter and without echo, and put the terminal back as it was before they return
 * (also when a signal ends the program during the read). Enter reads as '\r' and
 * Backspace as 8, as on Windows; arrow, Home/End, Insert/Delete and Page keys read as
 * 0xE0 followed by the Windows scan code, F1-F4 as 0 and the scan code.
 * When stdin is not a terminal (a pipe, a file), they read its next byte.
 * Differs from Windows: they read stdin's file descriptor directly (Windows reads
 * the console even when stdin is redirected), and return EOF at its end.
 */
#ifndef WINIPC_CONIO_H
#define WINIPC_CONIO_H

#include <winipc.h>

#ifdef __cplusplus
extern "C" {
#endif

WINIPC_API int _getch(void);
WINIPC_API int _getche(void);
WINIPC_API int _kbhit(void);
WINIPC_API int _ungetch(int c);
WINIPC_API int _putch(int c);
WINIPC_API int _cputs(const char *s);
WINIPC_API wint_t _getwch(void);
WINIPC_API wint_t _getwche(void);
WINIPC_API wint_t _putwch(wchar_t c);
#define _getch_nolock _getch
#define _getche_nolock _getche
#define _putch_nolock _putch
/* The old names, as conio.h still declares them. */
#define getch _getch
#define getche _getche
#define kbhit _kbhit
#define ungetch _ungetch
#define putch _putch
#define cputs _cputs

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_CONIO_H */
