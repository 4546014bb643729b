/*
 * shm_stream - a writer sends five 1023-byte blocks (all 'A', then 'B', ... 'E')
 * through one shared segment; the reader prints each. Two auto-reset events make
 * the handshake: "filled" (a block is ready) and "drained" (the segment is free).
 *
 *   shm_stream writer
 *   shm_stream reader
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define BLOCK 1023
#define BLOCKS 5

struct segment {
    LONG length; /* characters in data; 0 marks the end of the stream */
    TCHAR data[BLOCK + 1];
};

struct stream {
    HANDLE map, filled, drained;
    struct segment *seg;
};

/* Both sides create everything: whichever starts first makes it, the other opens it. */
static int open_stream(struct stream *s)
{
    s->map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                               sizeof(struct segment), TEXT("Local\\winipc_stream"));
    s->filled = CreateEvent(NULL, FALSE, FALSE, TEXT("Local\\winipc_stream_filled"));
    s->drained = CreateEvent(NULL, FALSE, TRUE, TEXT("Local\\winipc_stream_drained"));
    s->seg = s->map ? (struct segment *)MapViewOfFile(s->map, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
    if (!s->seg || !s->filled || !s->drained) {
        _tprintf(TEXT("shm_stream: setup failed (%u)\n"), (unsigned)GetLastError());
        return 0;
    }
    return 1;
}

static void close_stream(struct stream *s)
{
    UnmapViewOfFile(s->seg);
    CloseHandle(s->drained);
    CloseHandle(s->filled);
    CloseHandle(s->map);
}

static int writer(struct stream *s)
{
    for (int i = 0; i <= BLOCKS; i++) {
        if (WaitForSingleObject(s->drained, 30000) != WAIT_OBJECT_0) {
            _tprintf(TEXT("shm_stream: the reader stopped reading\n"));
            return 1;
        }
        s->seg->length = i < BLOCKS ? BLOCK : 0;
        for (LONG k = 0; k < s->seg->length; k++)
            s->seg->data[k] = (TCHAR)(TEXT('A') + i);
        s->seg->data[s->seg->length] = '\0';
        SetEvent(s->filled);
    }
    /* Keep the segment until the reader has taken the end marker. */
    WaitForSingleObject(s->drained, 30000);
    _tprintf(TEXT("Writer: sent %d blocks\n"), BLOCKS);
    return 0;
}

static int reader(struct stream *s)
{
    for (;;) {
        LONG n;

        if (WaitForSingleObject(s->filled, 30000) != WAIT_OBJECT_0) {
            _tprintf(TEXT("shm_stream: the writer stopped writing\n"));
            return 1;
        }
        n = s->seg->length;
        if (n == 0)
            break;
        _tprintf(TEXT("segment contains:\n\"%s\"\n"), s->seg->data);
        _tprintf(TEXT("Read %d bytes\n"), (int)n);
        SetEvent(s->drained);
    }
    SetEvent(s->drained);
    _tprintf(TEXT("Reader: done\n"));
    return 0;
}

int _tmain(int argc, _TCHAR *argv[])
{
    struct stream s;
    int writing = argc == 2 && _tcscmp(argv[1], _T("writer")) == 0;
    int rc;

    if (argc != 2 || (!writing && _tcscmp(argv[1], _T("reader")) != 0)) {
        _tprintf(TEXT("usage: shm_stream writer|reader\n"));
        return 2;
    }
    if (!open_stream(&s))
        return 1;
    rc = writing ? writer(&s) : reader(&s);
    close_stream(&s);
    return rc;
}
