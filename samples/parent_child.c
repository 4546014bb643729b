/*
 * parent_child - the parent makes an unnamed section and an unnamed event that a
 * child can inherit, starts a copy of itself with CreateProcess and the two handle
 * values on its command line (as Microsoft's handle inheritance examples do), and
 * waits on the child's process handle. The child writes into the section, sets the
 * event and exits with 42. Nothing has a name: the objects exist only through the
 * handles of these two processes.
 *
 * It also gives the child a handle it did not inherit: an unnamed mutex duplicated
 * into the child with DuplicateHandle while the child is still suspended, its value
 * going down a pipe that is the child's standard input.
 *
 *   parent_child          (the parent; it starts "parent_child child SECTION EVENT")
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tchar.h>

#define SIZE 4096

static int child(HANDLE section, HANDLE done)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), mutex;
    LPTSTR mem = (LPTSTR)MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, SIZE);
    char line[32] = {0};
    DWORD got = 0;

    if (!mem) {
        _tprintf(TEXT("child: the inherited section is not usable (%u)\n"),
                 (unsigned)GetLastError());
        return 1;
    }
    /* The duplicated mutex's value, written by the parent into our standard input. */
    if (!ReadFile(in, line, sizeof line - 1, &got, NULL) || got == 0) {
        _tprintf(TEXT("child: no mutex value on standard input\n"));
        return 1;
    }
    mutex = (HANDLE)(ULONG_PTR)strtoul(line, NULL, 16);
    if (WaitForSingleObject(mutex, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("child: the duplicated mutex is not usable (%u)\n"),
                 (unsigned)GetLastError());
        return 1;
    }
    _tcscpy(mem, TEXT("written by the child through an inherited handle"));
    ReleaseMutex(mutex);
    _tprintf(TEXT("child: wrote into the section, setting the event\n"));
    fflush(stdout);
    SetEvent(done);
    UnmapViewOfFile(mem);
    return 42;
}

static int parent(void)
{
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE section, done, mutex, theirs, pipe_read, pipe_write;
    TCHAR self[MAX_PATH], cmd[MAX_PATH + 64];
    STARTUPINFO si;
    PROCESS_INFORMATION pi;
    DWORD code = 0, put;
    char line[32];
    LPCTSTR mem;

    section = CreateFileMapping(INVALID_HANDLE_VALUE, &inheritable, PAGE_READWRITE, 0, SIZE, NULL);
    done = CreateEvent(&inheritable, TRUE, FALSE, NULL);
    mutex = CreateMutex(NULL, FALSE, NULL); /* not inheritable: it is duplicated */
    if (!section || !done || !mutex || !CreatePipe(&pipe_read, &pipe_write, &inheritable, 0) ||
        !GetModuleFileName(NULL, self, MAX_PATH)) {
        _tprintf(TEXT("parent: setup failed (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    SetHandleInformation(pipe_write, HANDLE_FLAG_INHERIT, 0); /* our end stays here */
    _sntprintf(cmd, MAX_PATH + 64, TEXT("\"%s\" child %lx %lx"), self,
               (unsigned long)(ULONG_PTR)section, (unsigned long)(ULONG_PTR)done);
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = pipe_read;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    _tprintf(TEXT("parent: starting the child with two inherited handles\n"));
    fflush(stdout);
    if (!CreateProcess(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
        _tprintf(TEXT("parent: CreateProcess failed (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    CloseHandle(pipe_read);
    /* The child is suspended: give it the mutex, tell it the value, let it run. */
    if (!DuplicateHandle(GetCurrentProcess(), mutex, pi.hProcess, &theirs, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        _tprintf(TEXT("parent: DuplicateHandle failed (%u)\n"), (unsigned)GetLastError());
        TerminateProcess(pi.hProcess, 1);
        return 1;
    }
    sprintf(line, "%lx\n", (unsigned long)(ULONG_PTR)theirs);
    WriteFile(pipe_write, line, (DWORD)strlen(line), &put, NULL);
    CloseHandle(pipe_write);
    ResumeThread(pi.hThread);
    if (WaitForSingleObject(done, 30000) != WAIT_OBJECT_0 ||
        WaitForSingleObject(pi.hProcess, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("parent: the child did not finish\n"));
        TerminateProcess(pi.hProcess, 1);
        return 1;
    }
    GetExitCodeProcess(pi.hProcess, &code);
    mem = (LPCTSTR)MapViewOfFile(section, FILE_MAP_READ, 0, 0, SIZE);
    _tprintf(TEXT("parent: the child exited with %u and left \"%s\"\n"), (unsigned)code,
             mem ? mem : TEXT("nothing"));
    UnmapViewOfFile(mem);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(mutex);
    CloseHandle(done);
    CloseHandle(section);
    return code == 42 ? 0 : 1;
}

int _tmain(int argc, _TCHAR *argv[])
{
    if (argc == 4 && _tcscmp(argv[1], TEXT("child")) == 0)
        return child((HANDLE)(ULONG_PTR)_tcstoul(argv[2], NULL, 16),
                     (HANDLE)(ULONG_PTR)_tcstoul(argv[3], NULL, 16));
    if (argc == 1)
        return parent();
    _tprintf(TEXT("usage: parent_child\n"));
    return 2;
}
