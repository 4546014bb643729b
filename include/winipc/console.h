/*
 * winipc/console.h - MessageBox, the one user32 call that console programs around
 * shared memory make (Microsoft's own named-shared-memory sample shows what it read
 * with it), as a console stand-in (posix/console.c); and the console calls such
 * programs make around their IPC code (posix/conctl.c): control handlers, console
 * modes on a terminal, code pages, the title. Included by winipc/win32.h; not for
 * direct use.
 *
 * Left out, because a terminal cannot do them truthfully: screen buffers
 * (GetConsoleScreenBufferInfo, SetConsoleCursorPosition, CreateConsoleScreenBuffer),
 * ReadConsoleInput and the input-record calls, and attaching to another process's
 * console (AttachConsole).
 */
#ifndef WINIPC_CONSOLE_H
#define WINIPC_CONSOLE_H

#ifdef __cplusplus
extern "C" {
#endif

#define MB_OK 0x00000000L
#define MB_OKCANCEL 0x00000001L
#define MB_ABORTRETRYIGNORE 0x00000002L
#define MB_YESNOCANCEL 0x00000003L
#define MB_YESNO 0x00000004L
#define MB_RETRYCANCEL 0x00000005L
#define MB_CANCELTRYCONTINUE 0x00000006L
#define MB_ICONHAND 0x00000010L
#define MB_ICONQUESTION 0x00000020L
#define MB_ICONEXCLAMATION 0x00000030L
#define MB_ICONASTERISK 0x00000040L
#define MB_USERICON 0x00000080L
#define MB_ICONWARNING MB_ICONEXCLAMATION
#define MB_ICONERROR MB_ICONHAND
#define MB_ICONINFORMATION MB_ICONASTERISK
#define MB_ICONSTOP MB_ICONHAND
#define MB_DEFBUTTON1 0x00000000L
#define MB_DEFBUTTON2 0x00000100L
#define MB_DEFBUTTON3 0x00000200L
#define MB_DEFBUTTON4 0x00000300L
#define MB_APPLMODAL 0x00000000L
#define MB_SYSTEMMODAL 0x00001000L
#define MB_TASKMODAL 0x00002000L
#define MB_HELP 0x00004000L
#define MB_NOFOCUS 0x00008000L
#define MB_SETFOREGROUND 0x00010000L
#define MB_DEFAULT_DESKTOP_ONLY 0x00020000L
#define MB_TOPMOST 0x00040000L
#define MB_RIGHT 0x00080000L
#define MB_RTLREADING 0x00100000L
#define MB_SERVICE_NOTIFICATION 0x00200000L
#define MB_TYPEMASK 0x0000000FL
#define MB_ICONMASK 0x000000F0L
#define MB_DEFMASK 0x00000F00L
#define MB_MODEMASK 0x00003000L
#define MB_MISCMASK 0x0000C000L

#define IDOK 1
#define IDCANCEL 2
#define IDABORT 3
#define IDRETRY 4
#define IDIGNORE 5
#define IDYES 6
#define IDNO 7
#define IDCLOSE 8
#define IDHELP 9
#define IDTRYAGAIN 10
#define IDCONTINUE 11
#define IDTIMEOUT 32000

/*
 * Differs from Windows: there is no window. The box is written to stderr as
 * "<caption>: <text>" and answered at once with its default button (IDOK for MB_OK,
 * IDYES for MB_YESNO, the second button with MB_DEFBUTTON2, ...), as if the user
 * had pressed Enter.
 */
WINIPC_API int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType);
WINIPC_API int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType);
#ifdef UNICODE
#define MessageBox MessageBoxW
#else
#define MessageBox MessageBoxA
#endif

/* ---- Console control handlers (posix/conctl.c) ---------------------------------------- */

#define CTRL_C_EVENT 0
#define CTRL_BREAK_EVENT 1
#define CTRL_CLOSE_EVENT 2
#define CTRL_LOGOFF_EVENT 5
#define CTRL_SHUTDOWN_EVENT 6

typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

/*
 * The control events are Linux's terminal signals: SIGINT is CTRL_C_EVENT, SIGQUIT
 * (Ctrl+\) CTRL_BREAK_EVENT, SIGHUP (the terminal went away) and SIGTERM (a polite
 * request to end, what `kill` and service managers send) CTRL_CLOSE_EVENT. Once
 * SetConsoleCtrlHandler has been called, winipc catches these signals (unless the
 * program has its own handler for one) and, as Windows does, runs the handlers on a
 * new thread, the last added first, until one returns TRUE. If none does -- and always
 * after CTRL_CLOSE_EVENT -- the process ends as by the signal, which winipc's
 * GetExitCodeProcess and a shell read as STATUS_CONTROL_C_EXIT / "interrupted".
 * Differs from Windows: the default action does not run atexit handlers (the process
 * ends by the signal, which is how a Linux parent learns it was interrupted; Linux
 * cannot carry the exit code 0xC000013A itself). The "ignore Ctrl+C" attribute
 * (NULL, TRUE) is inherited by children that winipc's CreateProcess starts, and
 * CREATE_NEW_PROCESS_GROUP sets it in the child, as on Windows; other programs
 * started from this one do not inherit it.
 */
WINIPC_API BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);
/*
 * CTRL_C_EVENT and CTRL_BREAK_EVENT to the process group dwProcessGroupId (a process
 * started with CREATE_NEW_PROCESS_GROUP leads its own group, whose id is its process
 * id), or with 0 to every process of ours (SIGINT / SIGQUIT to our process group).
 * As on Windows, CTRL_C_EVENT to a nonzero group succeeds and reaches nobody.
 */
WINIPC_API BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId);

/* ---- Console modes, code pages, title (posix/conctl.c) --------------------------------- */

#define ENABLE_PROCESSED_INPUT 0x0001
#define ENABLE_LINE_INPUT 0x0002
#define ENABLE_ECHO_INPUT 0x0004
#define ENABLE_WINDOW_INPUT 0x0008
#define ENABLE_MOUSE_INPUT 0x0010
#define ENABLE_INSERT_MODE 0x0020
#define ENABLE_QUICK_EDIT_MODE 0x0040
#define ENABLE_EXTENDED_FLAGS 0x0080
#define ENABLE_AUTO_POSITION 0x0100
#define ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200
#define ENABLE_PROCESSED_OUTPUT 0x0001
#define ENABLE_WRAP_AT_EOL_OUTPUT 0x0002
#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif
#define DISABLE_NEWLINE_AUTO_RETURN 0x0008

/*
 * The mode of a terminal (a handle whose descriptor is a tty; anything else, a pipe
 * or a file, fails with ERROR_INVALID_HANDLE as a redirected handle does on Windows).
 * A handle opened for reading only is an input handle: ENABLE_PROCESSED_INPUT is the
 * terminal's ISIG, ENABLE_LINE_INPUT its ICANON, ENABLE_ECHO_INPUT its ECHO. Any other
 * handle is an output handle: ENABLE_PROCESSED_OUTPUT is OPOST, and
 * ENABLE_WRAP_AT_EOL_OUTPUT and ENABLE_VIRTUAL_TERMINAL_PROCESSING are always on.
 * Differs from Windows: the other input flags (insert, quick edit, mouse, window, VT
 * input) are accepted and not kept; output flags that a terminal cannot turn off are
 * reported on whatever was set.
 */
WINIPC_API BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);
WINIPC_API BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);
/*
 * The console code pages are CP_UTF8 (65001), the code page winipc's text calls use
 * for A strings; setting 65001 succeeds, any other fails with ERROR_INVALID_PARAMETER.
 */
WINIPC_API UINT WINAPI GetConsoleCP(void);
WINIPC_API UINT WINAPI GetConsoleOutputCP(void);
WINIPC_API BOOL WINAPI SetConsoleCP(UINT wCodePageID);
WINIPC_API BOOL WINAPI SetConsoleOutputCP(UINT wCodePageID);
/*
 * The title is kept in memory (at first GetStartupInfo's lpTitle, as Windows starts
 * a console with) and sent to a terminal on stdout or stderr as an OSC 0 sequence.
 * GetConsoleTitle returns the title's length in characters, copying what fits.
 */
WINIPC_API BOOL WINAPI SetConsoleTitleA(LPCSTR lpConsoleTitle);
WINIPC_API BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle);
WINIPC_API DWORD WINAPI GetConsoleTitleA(LPSTR lpConsoleTitle, DWORD nSize);
WINIPC_API DWORD WINAPI GetConsoleTitleW(LPWSTR lpConsoleTitle, DWORD nSize);
/*
 * The console is the terminal. A process with one (stdin, stdout or stderr is a
 * terminal) cannot get another: AllocConsole fails with ERROR_ACCESS_DENIED, as on
 * Windows. Differs from Windows: a process without a terminal cannot make one
 * (AllocConsole: ERROR_NOT_SUPPORTED), and FreeConsole cannot leave the terminal
 * while the descriptors stay open (ERROR_NOT_SUPPORTED; without a terminal,
 * ERROR_INVALID_PARAMETER as on Windows). GetConsoleWindow is always NULL: there
 * is no window.
 */
WINIPC_API BOOL WINAPI AllocConsole(void);
WINIPC_API BOOL WINAPI FreeConsole(void);
WINIPC_API HWND WINAPI GetConsoleWindow(void);

#ifdef UNICODE
#define SetConsoleTitle SetConsoleTitleW
#define GetConsoleTitle GetConsoleTitleW
#else
#define SetConsoleTitle SetConsoleTitleA
#define GetConsoleTitle GetConsoleTitleA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_CONSOLE_H */
