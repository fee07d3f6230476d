/* test_input.c - where bytes come from: directory walks, mappings, readers. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"
#include "sift_input.h"

/* ---- a scratch tree -------------------------------------------------------------------- */

static char root[64];

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/logsift-input-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
}

static void put_file(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs(text, f);
    fclose(f);
}

static void put_dir(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
}

static void put_link(const char *target, const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    cr_assert_eq(symlink(target, p), 0, "%s", p);
}

static void remove_root(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
}

/* What a walk saw: "F path (bytes)" per file and "E path: what" per error,
 * with the root cut off the paths. */
typedef struct walk_log {
    sbuf b;
    int stop_after; /* stop the walk at this many files; 0: never */
    int files;
} walk_log;

static const char *rel(const char *path)
{
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 ? path + n : path;
}

static int on_file(void *ctx, const char *path, int fd, const struct stat *st)
{
    walk_log *w = ctx;
    char buf[64];
    ssize_t got = read(fd, buf, sizeof buf);
    sb_printf(&w->b, "F %s (%lld/%zd)\n", rel(path), (long long)st->st_size, got);
    w->files++;
    return w->stop_after && w->files >= w->stop_after;
}

static void on_error(void *ctx, const char *path, int errnum, const char *what)
{
    walk_log *w = ctx;
    sb_printf(&w->b, "E %s: %s\n", rel(path), what ? what : strerror(errnum));
}

static char *walk(const char *rel_path, int stop_after, int *rc)
{
    char p[256];
    snprintf(p, sizeof p, "%s%s", root, rel_path);
    walk_log w = { { 0 }, stop_after, 0 };
    sb_add(&w.b, "", 0);
    int r = sift_input_walk(p, on_file, on_error, &w);
    if (rc)
        *rc = r;
    return w.b.p;
}

/* ---- walks ------------------------------------------------------------------------------- */

Test(walk, visits_files_in_byte_order_of_names_whatever_the_creation_order)
{
    make_root();
    put_file("b.txt", "bb");
    put_dir("a");
    put_file("a/z", "z");
    put_file("a/B", "BBB");
    put_file("A.txt", "");
    char *got = walk("", 0, NULL);
    cr_expect_str_eq(got, "F /A.txt (0/0)\nF /a/B (3/3)\nF /a/z (1/1)\nF /b.txt (2/2)\n");
    free(got);
    remove_root();
}

Test(walk, reports_loops_and_dangling_links_and_goes_on)
{
    make_root();
    put_dir("d");
    put_file("d/x", "x");
    put_link("..", "d/up");         /* a loop back to the root */
    put_link("nowhere", "d/dead"); /* dangling */
    put_file("e", "e");
    char *got = walk("", 0, NULL);
    cr_expect(strstr(got, "F /d/x (1/1)\n") != NULL, "%s", got);
    cr_expect(strstr(got, "F /e (1/1)\n") != NULL, "%s", got);
    cr_expect(strstr(got, "E /d/dead: ") != NULL, "%s", got);
    cr_expect(strstr(got, "E /d/up: ") != NULL, "%s", got);
    /* Each file once, loop or not. */
    cr_expect_eq(strstr(strstr(got, "F /d/x") + 1, "F /d/x") == NULL, 1, "%s", got);
    free(got);
    remove_root();
}

Test(walk, a_directory_reached_through_many_links_is_read_once)
{
    make_root();
    put_dir("real");
    put_file("real/f", "f");
    put_link("real", "l1");
    put_link("real", "l2");
    put_link("l1", "l3");
    char *got = walk("", 0, NULL);
    size_t files = 0;
    for (const char *p = got; (p = strstr(p, "F ")) != NULL; p++)
        files++;
    cr_expect_eq(files, 1, "%s", got);
    free(got);
    remove_root();
}

Test(walk, skips_special_files_inside_trees_but_opens_them_by_name)
{
    make_root();
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/pipe", root);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    put_file("plain", "p");
    char *got = walk("", 0, NULL);
    cr_expect(strstr(got, "E /pipe: ") != NULL, "%s", got);
    cr_expect(strstr(got, "F /plain (1/1)\n") != NULL, "%s", got);
    free(got);
    /* Named directly, a character device is a file to read. */
    walk_log w = { { 0 }, 0, 0 };
    sb_add(&w.b, "", 0);
    cr_expect_eq(sift_input_walk("/dev/null", on_file, on_error, &w), 0);
    cr_expect_str_eq(w.b.p, "F /dev/null (0/0)\n");
    free(w.b.p);
    remove_root();
}

Test(walk, stops_when_the_callback_says_so)
{
    make_root();
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d", i);
        put_file(name, "x");
    }
    int rc;
    char *got = walk("", 2, &rc);
    cr_expect_neq(rc, 0);
    cr_expect_str_eq(got, "F /f0 (1/1)\nF /f1 (1/1)\n");
    free(got);
    remove_root();
}

Test(walk, chains_deeper_than_the_limit_are_reported_not_entered)
{
    make_root();
    char rel_path[4096] = "";
    for (int i = 0; i < SIFT_INPUT_MAX_DEPTH + 2; i++) {
        strcat(rel_path, i ? "/d" : "d");
        put_dir(rel_path);
    }
    char leaf[4200];
    snprintf(leaf, sizeof leaf, "%s/leaf", rel_path);
    put_file(leaf, "deep");
    char *got = walk("", 0, NULL);
    cr_expect(strstr(got, "F ") == NULL, "%s", got);
    cr_expect(strstr(got, "E /d/d") != NULL, "%s", got);
    free(got);
    remove_root();
}

Test(walk, a_missing_path_is_an_error_not_a_stop)
{
    make_root();
    int rc;
    char *got = walk("/absent", 0, &rc);
    cr_expect_eq(rc, 0);
    cr_expect(strncmp(got, "E /absent: ", 11) == 0, "%s", got);
    free(got);
    remove_root();
}

/* ---- mappings and readers ------------------------------------------------------------- */

Test(map, maps_a_file_whole_and_an_empty_one_as_the_empty_slice)
{
    make_root();
    put_file("m", "mapped bytes");
    char p[256];
    snprintf(p, sizeof p, "%s/m", root);
    int fd = open(p, O_RDONLY);
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    sift_map m;
    cr_assert_eq(sift_map_file(fd, &st, &m), 0);
    cr_expect_eq(m.len, 12);
    cr_expect_eq(memcmp(m.ptr, "mapped bytes", 12), 0);
    sift_unmap(&m);
    close(fd);
    put_file("empty", "");
    snprintf(p, sizeof p, "%s/empty", root);
    fd = open(p, O_RDONLY);
    cr_assert_eq(fstat(fd, &st), 0);
    cr_assert_eq(sift_map_file(fd, &st, &m), 0);
    cr_expect_null(m.ptr);
    cr_expect_eq(m.len, 0);
    sift_unmap(&m);
    close(fd);
    remove_root();
}

Test(map, releasing_pages_advances_by_whole_pages_and_keeps_the_bytes_readable)
{
    make_root();
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 5 * page + 100;
    char p[256];
    snprintf(p, sizeof p, "%s/big", root);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    fclose(f);
    int fd = open(p, O_RDONLY);
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    sift_map m;
    cr_assert_eq(sift_map_file(fd, &st, &m), 0);
    size_t released = 0;
    sift_map_release(&m, page + 10, &released);
    cr_expect_eq(released, page);
    sift_map_release(&m, page / 2, &released); /* never backwards */
    cr_expect_eq(released, page);
    sift_map_release(&m, n, &released);
    cr_expect_eq(released % page, 0);
    cr_expect_leq(released, n);
    /* Released pages come back from the file when read again. */
    for (size_t i = 0; i < n; i += 997)
        cr_expect_eq(m.ptr[i], 'a' + (int)(i % 26), "byte %zu", i);
    sift_unmap(&m);
    close(fd);
    remove_root();
}

Test(reader, memory_reads_come_in_chunks_and_end_with_zero)
{
    static const uint8_t data[] = "0123456789";
    sift_reader rd = { -1, data, 10, 0, 3 };
    uint8_t buf[16];
    size_t total = 0;
    ssize_t got;
    while ((got = sift_reader_read(&rd, buf, sizeof buf)) > 0) {
        cr_expect_leq(got, 3);
        cr_expect_eq(memcmp(buf, data + total, (size_t)got), 0);
        total += (size_t)got;
    }
    cr_expect_eq(got, 0);
    cr_expect_eq(total, 10);
}

Test(reader, a_descriptor_is_read_to_its_end)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], "piped", 5), 5);
    close(fds[1]);
    sift_reader rd = { fds[0], NULL, 0, 0, 0 };
    uint8_t buf[16];
    cr_expect_eq(sift_reader_read(&rd, buf, sizeof buf), 5);
    cr_expect_eq(memcmp(buf, "piped", 5), 0);
    cr_expect_eq(sift_reader_read(&rd, buf, sizeof buf), 0);
    close(fds[0]);
}
