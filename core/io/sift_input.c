/* sift_input.c - path walking and file mapping. */
#include "sift_input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walk {
    sift_input_file_fn on_file;
    sift_input_error_fn on_error;
    void *ctx;
    dir_id chain[SIFT_INPUT_MAX_DEPTH]; /* directories from the root down to here */
    int depth;
    /* Every directory entered, so that symlinks making a DAG of the tree
     * (many links to one directory) cannot make the walk exponential. */
    dir_id *seen;
    size_t nseen, cap_seen; /* open addressing, power-of-two size */
} walk;

static size_t dir_hash(dir_id d, size_t mask)
{
    uint64_t x = (uint64_t)d.dev * 0x9E3779B97F4A7C15ull ^ (uint64_t)d.ino * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(x ^ (x >> 29)) & mask;
}

/* Record d as entered; 0 if it was already, -1 when out of memory. An entry
 * with ino 0 marks a free slot (no directory has inode 0). */
static int mark_seen(walk *w, dir_id d)
{
    if (2 * (w->nseen + 1) > w->cap_seen) {
        size_t cap = w->cap_seen ? w->cap_seen * 2 : 64;
        dir_id *t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < w->cap_seen; i++) {
            if (w->seen[i].ino == 0)
                continue;
            size_t j = dir_hash(w->seen[i], cap - 1);
            while (t[j].ino != 0)
                j = (j + 1) & (cap - 1);
            t[j] = w->seen[i];
        }
        free(w->seen);
        w->seen = t;
        w->cap_seen = cap;
    }
    size_t j = dir_hash(d, w->cap_seen - 1);
    for (; w->seen[j].ino != 0; j = (j + 1) & (w->cap_seen - 1))
        if (w->seen[j].dev == d.dev && w->seen[j].ino == d.ino)
            return 0;
    w->seen[j] = d;
    w->nseen++;
    return 1;
}

static int process_file(walk *w, const char *path, int named)
{
    /* A file found in a directory is opened without blocking: if it was
     * swapped for a FIFO since it was listed, open() must not wait for a
     * writer (fstat below then skips it). A regular file refuses that only
     * while another process holds a lease on it (Samba's oplocks): then
     * open() may wait for the lease to be given up, as it always did. */
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
    int fd = STDIN_FILENO;
    if (strcmp(path, "-") != 0) {
        fd = open(path, flags | (named ? 0 : O_NONBLOCK));
        if (fd < 0 && !named && (errno == EAGAIN || errno == EWOULDBLOCK))
            fd = open(path, flags);
    }
    if (fd < 0) {
        w->on_error(w->ctx, path, errno, NULL);
        return 0;
    }
    struct stat st;
    int stop = 0;
    if (fstat(fd, &st) != 0) {
        w->on_error(w->ctx, path, errno, NULL);
    } else if (!S_ISREG(st.st_mode) && !named) {
        w->on_error(w->ctx, path, 0, "not a regular file, skipped");
    } else if (S_ISDIR(st.st_mode)) {
        w->on_error(w->ctx, path, EISDIR, NULL);
    } else {
        stop = w->on_file(w->ctx, strcmp(path, "-") == 0 ? "(stdin)" : path, fd, &st);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    return stop;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk_path(walk *w, const char *path, int named, unsigned char type);

static int walk_dir(walk *w, const char *path, const struct stat *st)
{
    for (int i = 0; i < w->depth; i++) {
        if (w->chain[i].dev == st->st_dev && w->chain[i].ino == st->st_ino) {
            w->on_error(w->ctx, path, 0, "symlink loop, skipped");
            return 0;
        }
    }
    if (w->depth >= SIFT_INPUT_MAX_DEPTH) {
        w->on_error(w->ctx, path, 0, "directory tree too deep, skipped");
        return 0;
    }
    int fresh = mark_seen(w, (dir_id){ st->st_dev, st->st_ino });
    if (fresh < 0) {
        w->on_error(w->ctx, path, ENOMEM, NULL);
        return 0;
    }
    if (fresh == 0)
        return 0; /* reached again through another link: its files were read once */
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name);
    if (n < 0) {
        w->on_error(w->ctx, path, errno, NULL);
        return 0;
    }
    w->chain[w->depth++] = (dir_id){ st->st_dev, st->st_ino };
    int stop = 0;
    size_t plen = strlen(path);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!stop && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            size_t len = plen + strlen(name) + 2;
            char *child = malloc(len);
            if (!child) {
                w->on_error(w->ctx, path, ENOMEM, NULL);
            } else {
                int slash = plen && path[plen - 1] == '/';
                memcpy(child, path, plen);
                if (!slash)
                    child[plen] = '/';
                strcpy(child + plen + !slash, name);
                stop = walk_path(w, child, 0, names[i]->d_type);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    w->depth--;
    return stop;
}

/* type: the entry's d_type when it was listed in a directory, else
 * DT_UNKNOWN. */
static int walk_path(walk *w, const char *path, int named, unsigned char type)
{
    if (strcmp(path, "-") == 0)
        return process_file(w, path, 1);
    /* A listed regular file needs no stat of its own: open and fstat follow,
     * and a sweep of thousands of small files feels every system call. */
    if (!named && type == DT_REG)
        return process_file(w, path, 0);
    struct stat st;
    /* stat follows symlinks: a link to a directory is walked, and the chain
     * check above catches the loops that makes possible. */
    if (stat(path, &st) != 0) {
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            w->on_error(w->ctx, path, errno, errno == ELOOP ? "symlink loop, skipped" : "dangling symlink, skipped");
        else
            w->on_error(w->ctx, path, errno, NULL);
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    /* Decide before open(): opening a FIFO blocks until a writer appears. */
    if (!named && !S_ISREG(st.st_mode)) {
        w->on_error(w->ctx, path, 0, "not a regular file, skipped");
        return 0;
    }
    return process_file(w, path, named);
}

int sift_input_walk(const char *path, sift_input_file_fn on_file, sift_input_error_fn on_error, void *ctx)
{
    walk w;
    memset(&w, 0, sizeof w);
    w.on_file = on_file;
    w.on_error = on_error;
    w.ctx = ctx;
    int stop = walk_path(&w, path, 1, DT_UNKNOWN);
    free(w.seen);
    return stop;
}

int sift_map_file(int fd, const struct stat *st, sift_map *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (!S_ISREG(st->st_mode))
        return EINVAL;
    if (st->st_size <= 0)
        return 0;
    if ((uint64_t)st->st_size > SIZE_MAX)
        return EFBIG;
    size_t len = (size_t)st->st_size;
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return errno;
    /* One sequential pass: let the kernel read ahead aggressively. */
    (void)madvise(p, len, MADV_SEQUENTIAL);
    out->ptr = p;
    out->len = len;
    return 0;
}

void sift_unmap(sift_map *m)
{
    if (m->ptr)
        munmap((void *)(uintptr_t)m->ptr, m->len);
    m->ptr = NULL;
    m->len = 0;
}

void sift_map_release(const sift_map *m, size_t upto, size_t *released)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t end = upto / page * page;
    if (!m->ptr || end <= *released)
        return;
    /* A read-only private mapping that was never written: dropping pages
     * loses nothing, a later touch would fault them back in. */
    (void)madvise((void *)(uintptr_t)(m->ptr + *released), end - *released, MADV_DONTNEED);
    *released = end;
}

ssize_t sift_reader_read(sift_reader *rd, uint8_t *p, size_t n)
{
    if (rd->mem) {
        size_t left = rd->mem_len - rd->mem_pos;
        if (n > left)
            n = left;
        if (rd->chunk && n > rd->chunk)
            n = rd->chunk;
        memcpy(p, rd->mem + rd->mem_pos, n);
        rd->mem_pos += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t got = read(rd->fd, p, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}
