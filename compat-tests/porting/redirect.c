/*
 * porting/redirect.c - a parent that runs a child with its standard input and output
 * redirected to anonymous pipes, the way Windows code has done it since Microsoft's
 * "Creating a Child Process with Redirected Input and Output" article: CreatePipe with
 * inheritable handles, SetHandleInformation to keep the parent's ends out of the
 * child, STARTF_USESTDHANDLES, ReadFile until ERROR_BROKEN_PIPE, ErrorExit with
 * FormatMessage. The child (the same program, started with "child") upper-cases
 * what it reads. Written for this test, in that style.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE, and with mingw-w64.
 */
#include <Windows.h>
#include <TChar.h>
#include <stdio.h>
#include <string.h>
#include <strsafe.h>

#define BUFSIZE 64

HANDLE g_hChildStd_IN_Rd = NULL;
HANDLE g_hChildStd_IN_Wr = NULL;
HANDLE g_hChildStd_OUT_Rd = NULL;
HANDLE g_hChildStd_OUT_Wr = NULL;

static void ErrorExit(LPCTSTR lpszFunction)
{
    LPVOID lpMsgBuf = NULL;
    TCHAR szBuf[512];
    DWORD dw = GetLastError();

    FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                      FORMAT_MESSAGE_IGNORE_INSERTS,
                  NULL, dw, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&lpMsgBuf, 0, NULL);
    StringCchPrintf(szBuf, ARRAYSIZE(szBuf), TEXT("%s failed with error %d: %s"), lpszFunction,
                    (int)dw, lpMsgBuf ? (LPCTSTR)lpMsgBuf : TEXT("?"));
    _ftprintf(stderr, TEXT("%s\n"), szBuf);
    LocalFree(lpMsgBuf);
    ExitProcess(1);
}

/* The child: reads its standard input to the end, writes it upper-cased. */
static int Child(void)
{
    HANDLE hIn = GetStdHandle(STD_INPUT_HANDLE), hOut = GetStdHandle(STD_OUTPUT_HANDLE);
    CHAR chBuf[BUFSIZE];
    DWORD dwRead, dwWritten;

    if (hIn == INVALID_HANDLE_VALUE || hOut == INVALID_HANDLE_VALUE)
        ExitProcess(1);
    for (;;) {
        if (!ReadFile(hIn, chBuf, BUFSIZE, &dwRead, NULL) || dwRead == 0)
            break; /* the parent closed its end */
        for (DWORD i = 0; i < dwRead; i++)
            if (chBuf[i] >= 'a' && chBuf[i] <= 'z')
                chBuf[i] = (CHAR)(chBuf[i] - 'a' + 'A');
        if (!WriteFile(hOut, chBuf, dwRead, &dwWritten, NULL))
            break;
    }
    return 0;
}

static void CreateChildProcess(PROCESS_INFORMATION *piProcInfo)
{
    TCHAR szCmdline[MAX_PATH + 16];
    TCHAR szSelf[MAX_PATH];
    STARTUPINFO siStartInfo;
    BOOL bSuccess = FALSE;

    if (!GetModuleFileName(NULL, szSelf, MAX_PATH))
        ErrorExit(TEXT("GetModuleFileName"));
    StringCchPrintf(szCmdline, ARRAYSIZE(szCmdline), TEXT("\"%s\" child"), szSelf);

    ZeroMemory(piProcInfo, sizeof(PROCESS_INFORMATION));
    ZeroMemory(&siStartInfo, sizeof(STARTUPINFO));
    siStartInfo.cb = sizeof(STARTUPINFO);
    siStartInfo.hStdError = g_hChildStd_OUT_Wr;
    siStartInfo.hStdOutput = g_hChildStd_OUT_Wr;
    siStartInfo.hStdInput = g_hChildStd_IN_Rd;
    siStartInfo.dwFlags |= STARTF_USESTDHANDLES;

    bSuccess =
        CreateProcess(NULL, szCmdline, NULL, NULL, TRUE, 0, NULL, NULL, &siStartInfo, piProcInfo);
    if (!bSuccess)
        ErrorExit(TEXT("CreateProcess"));
    /* The child has its own copies: ours would keep the pipes open for ever. */
    CloseHandle(g_hChildStd_OUT_Wr);
    CloseHandle(g_hChildStd_IN_Rd);
}

static void WriteToPipe(void)
{
    static const CHAR *lines[] = {"the quick brown fox\n", "jumps over\n", "the lazy dog\n"};
    DWORD dwWritten;

    for (int i = 0; i < 3; i++)
        if (!WriteFile(g_hChildStd_IN_Wr, lines[i], (DWORD)strlen(lines[i]), &dwWritten, NULL))
            ErrorExit(TEXT("WriteFile"));
    if (!CloseHandle(g_hChildStd_IN_Wr))
        ErrorExit(TEXT("StdInWr CloseHandle"));
}

static void ReadFromPipe(void)
{
    DWORD dwRead, dwWritten, dwTotal = 0;
    CHAR chBuf[BUFSIZE];
    HANDLE hParentStdOut = GetStdHandle(STD_OUTPUT_HANDLE);

    for (;;) {
        BOOL bSuccess = ReadFile(g_hChildStd_OUT_Rd, chBuf, BUFSIZE, &dwRead, NULL);

        if (!bSuccess || dwRead == 0) {
            if (!bSuccess && GetLastError() != ERROR_BROKEN_PIPE)
                ErrorExit(TEXT("ReadFile"));
            break;
        }
        dwTotal += dwRead;
        if (!WriteFile(hParentStdOut, chBuf, dwRead, &dwWritten, NULL))
            break;
    }
    _tprintf(TEXT("redirect: read %lu bytes from the child\n"), (unsigned long)dwTotal);
}

int _tmain(int argc, TCHAR *argv[])
{
    SECURITY_ATTRIBUTES saAttr;
    PROCESS_INFORMATION piProcInfo;
    DWORD dwExitCode = 0;

    if (argc > 1 && _tcscmp(argv[1], TEXT("child")) == 0)
        return Child();

    saAttr.nLength = sizeof(SECURITY_ATTRIBUTES);
    saAttr.bInheritHandle = TRUE;
    saAttr.lpSecurityDescriptor = NULL;

    if (!CreatePipe(&g_hChildStd_OUT_Rd, &g_hChildStd_OUT_Wr, &saAttr, 0))
        ErrorExit(TEXT("StdoutRd CreatePipe"));
    if (!SetHandleInformation(g_hChildStd_OUT_Rd, HANDLE_FLAG_INHERIT, 0))
        ErrorExit(TEXT("Stdout SetHandleInformation"));
    if (!CreatePipe(&g_hChildStd_IN_Rd, &g_hChildStd_IN_Wr, &saAttr, 0))
        ErrorExit(TEXT("Stdin CreatePipe"));
    if (!SetHandleInformation(g_hChildStd_IN_Wr, HANDLE_FLAG_INHERIT, 0))
        ErrorExit(TEXT("Stdin SetHandleInformation"));

    fflush(stdout);
    CreateChildProcess(&piProcInfo);
    WriteToPipe();
    ReadFromPipe();

    WaitForSingleObject(piProcInfo.hProcess, INFINITE);
    GetExitCodeProcess(piProcInfo.hProcess, &dwExitCode);
    _tprintf(TEXT("redirect: the child exited with %lu\n"), (unsigned long)dwExitCode);
    CloseHandle(piProcInfo.hProcess);
    CloseHandle(piProcInfo.hThread);
    CloseHandle(g_hChildStd_OUT_Rd);
    return (int)dwExitCode;
}
