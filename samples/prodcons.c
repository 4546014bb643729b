/*
 * prodcons - the bounded buffer: a producer and a consumer share a 1024-slot ring of
 * ints in a named mapping; semaphore "empty" counts free slots, "full" filled ones,
 * and a named mutex guards the shared count. The consumer is slower on purpose.
 *
 *   prodcons producer
 *   prodcons consumer
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define SLOTS 1024
#define ITEMS 100

struct ring {
    int slot[SLOTS];
    int in, out;
    int count; /* items in the ring, under the mutex */
};

struct shared {
    HANDLE map, empty, full, mutex, done;
    struct ring *ring;
};

static int open_shared(struct shared *s)
{
    s->map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(struct ring),
                               TEXT("Local\\winipc_prodcons"));
    s->empty = CreateSemaphore(NULL, SLOTS, SLOTS, TEXT("Local\\winipc_prodcons_empty"));
    s->full = CreateSemaphore(NULL, 0, SLOTS, TEXT("Local\\winipc_prodcons_full"));
    s->mutex = CreateMutex(NULL, FALSE, TEXT("Local\\winipc_prodcons_mutex"));
    s->done = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_prodcons_done"));
    s->ring = s->map ? (struct ring *)MapViewOfFile(s->map, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
    if (!s->ring || !s->empty || !s->full || !s->mutex || !s->done) {
        _tprintf(TEXT("prodcons: setup failed (%u)\n"), (unsigned)GetLastError());
        return 0;
    }
    return 1;
}

static void close_shared(struct shared *s)
{
    UnmapViewOfFile(s->ring);
    CloseHandle(s->done);
    CloseHandle(s->mutex);
    CloseHandle(s->full);
    CloseHandle(s->empty);
    CloseHandle(s->map);
}

static void add_to_count(struct shared *s, int delta)
{
    WaitForSingleObject(s->mutex, INFINITE);
    s->ring->count += delta;
    ReleaseMutex(s->mutex);
}

static int producer(struct shared *s)
{
    for (int i = 0; i < ITEMS; i++) {
        if (WaitForSingleObject(s->empty, 30000) != WAIT_OBJECT_0)
            return 1;
        s->ring->slot[s->ring->in] = i * i;
        s->ring->in = (s->ring->in + 1) % SLOTS;
        add_to_count(s, 1);
        _tprintf(TEXT("produced %d\n"), i * i);
        ReleaseSemaphore(s->full, 1, NULL);
    }
    /* The objects live while a handle does: wait for the consumer to finish. */
    if (WaitForSingleObject(s->done, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("prodcons: the consumer did not finish\n"));
        return 1;
    }
    _tprintf(TEXT("producer: done\n"));
    return 0;
}

static int consumer(struct shared *s)
{
    int sum = 0, expected = 0;

    for (int i = 0; i < ITEMS; i++) {
        int item;

        if (WaitForSingleObject(s->full, 30000) != WAIT_OBJECT_0)
            return 1;
        item = s->ring->slot[s->ring->out];
        s->ring->out = (s->ring->out + 1) % SLOTS;
        add_to_count(s, -1);
        ReleaseSemaphore(s->empty, 1, NULL);
        _tprintf(TEXT("consumed %d\n"), item);
        sum += item;
        expected += i * i;
        Sleep(1); /* slower than the producer */
    }
    SetEvent(s->done);
    _tprintf(TEXT("consumer: sum %d, expected %d: %s\n"), sum, expected,
             sum == expected ? TEXT("OK") : TEXT("WRONG"));
    return sum == expected ? 0 : 1;
}

int _tmain(int argc, _TCHAR *argv[])
{
    struct shared s;
    int producing = argc == 2 && _tcscmp(argv[1], _T("producer")) == 0;
    int rc;

    if (argc != 2 || (!producing && _tcscmp(argv[1], _T("consumer")) != 0)) {
        _tprintf(TEXT("usage: prodcons producer|consumer\n"));
        return 2;
    }
    if (!open_shared(&s))
        return 1;
    rc = producing ? producer(&s) : consumer(&s);
    close_shared(&s);
    return rc;
}
