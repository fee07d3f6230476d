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
} walk;

static int process_file(walk *w, const char *path, int named)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
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

static int walk_path(walk *w, const char *path, int named);

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
                stop = walk_path(w, child, 0);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    w->depth--;
    return stop;
}

static int walk_path(walk *w, const char *path, int named)
{
    if (strcmp(path, "-") == 0)
        return process_file(w, path, 1);
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
    w.on_file = on_file;
    w.on_error = on_error;
    w.ctx = ctx;
    w.depth = 0;
    return walk_path(&w, path, 1);
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
