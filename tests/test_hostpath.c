/* test_hostpath.c - host names from file paths. */
#include <criterion/criterion.h>
#include <string.h>

#include "sift_hostpath.h"

typedef struct hp_case {
    const char *path;
    const char *host;
} hp_case;

static void expect_hosts(const hp_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[256];
        memset(out, 'x', sizeof out);
        size_t got = sift_host_from_path(cases[i].path, out, sizeof out);
        cr_expect_str_eq(out, cases[i].host, "path %s", cases[i].path ? cases[i].path : "(null)");
        cr_expect_eq(got, strlen(cases[i].host), "path %s", cases[i].path ? cases[i].path : "(null)");
    }
}

Test(hostpath, takes_the_host_from_file_or_directory_names)
{
    static const hp_case cases[] = {
        { "dumps/FS01/netstat.txt.zst", "FS01" },
        { "APP-SQL02_netstat_20241002.txt", "APP-SQL02" },
        { "netstat_RDG01_20241002.log.gz", "RDG01" },
        { "web02-netstat-ja.txt.gz", "web02" },
        { "rdg01.txt.zst", "rdg01" },
        { "x/lnx01/ss.out", "lnx01" },
        { "netstat.txt", "" },
        { "(stdin)", "" },
        { "./netstat.txt", "" },
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

Test(hostpath, drops_stacked_extensions_in_any_case)
{
    static const hp_case cases[] = {
        { "FS01_netstat_20241002.txt.gz", "FS01" },
        { "host.log.gz.zst", "host" },
        { "HOST.TXT.GZ", "HOST" },
        { "db01.csv", "db01" },
        { "db01.zstd", "db01" },
        { "db01.evtx", "db01" },
        { "db01.evtx.bak", "db01.evtx.bak" }, /* not an extension it knows */
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

Test(hostpath, keeps_dotted_and_dashed_host_names_whole)
{
    static const hp_case cases[] = {
        { "web01.corp.example.com_netstat.txt", "web01.corp.example.com" },
        { "RDG01-system-20241002.log", "RDG01" },
        { "_-FS01-_netstat.txt", "FS01" },
        { "logs/2024-10-02/APP01_Application.txt", "APP01" },
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

Test(hostpath, falls_back_to_the_directory_only_when_the_name_is_all_generic_words)
{
    static const hp_case cases[] = {
        { "triage/DC01/system_20241002.txt", "DC01" },
        { "DC01/20241002.txt", "DC01" },
        { "/abs/path/SQL02/netstat-tcp-dump.txt", "SQL02" },
        { "../netstat.txt", "" },
        { "/netstat.txt", "" },
        { "20241002_netstat.txt", "" },
        { "x/_-_/netstat.txt", "" }, /* a directory of separators names nothing */
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

/* Capture scripts name files after the command line that made them: its
 * flags are not a host. */
Test(hostpath, a_commands_flags_in_a_file_name_are_not_a_host)
{
    static const hp_case cases[] = {
        { "netstat-aonb.out", "" },
        { "ss-sudo-a.out", "" },
        { "captures/FS01/netstat-ano.txt", "FS01" },
        { "netstat-ano-FS01.txt", "FS01" },
        { "ss-tan-lnx01.txt.zst", "lnx01" },
        { "netstat_RDG01_20241002.log.gz", "RDG01" },
        { "netstat-web01.txt", "web01" },  /* digits: not flags */
        { "FS01-netstat-ano.txt", "FS01" },
        { "sudo-netstat-tulpn.txt", "" },
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

/* A command line saved with its blanks made '_' keeps the flags' dash:
 * "netstat -ano" becomes netstat_-ano. */
Test(hostpath, flags_after_a_run_of_separators_are_not_a_host)
{
    static const hp_case cases[] = {
        { "netstat_-ano.txt", "" },
        { "captures/FS01/netstat_-ano.txt", "FS01" },
        { "netstat_-ano_FS01.txt", "FS01" },
        { "ss_-tan.out", "" },
        { "netstat--an.txt", "" },
        { "netstat_-_-ano_WEB02.log", "WEB02" },
        { "FS01_netstat_-ano.txt", "FS01" },
    };
    expect_hosts(cases, sizeof cases / sizeof cases[0]);
}

Test(hostpath, names_nothing_for_null_or_empty_and_never_writes_past_cap)
{
    char out[8] = "junk";
    cr_expect_eq(sift_host_from_path(NULL, out, sizeof out), 0);
    cr_expect_str_eq(out, "");
    strcpy(out, "junk");
    cr_expect_eq(sift_host_from_path("", out, sizeof out), 0);
    cr_expect_str_eq(out, "");
    /* cap 0: nothing is written at all */
    char guard[4] = "abc";
    cr_expect_eq(sift_host_from_path("FS01.txt", guard, 0), 0);
    cr_expect_str_eq(guard, "abc");
    /* exactly enough room, then one byte short: all or nothing */
    char tight[5];
    cr_expect_eq(sift_host_from_path("FS01_netstat.txt", tight, sizeof tight), 4);
    cr_expect_str_eq(tight, "FS01");
    char shorter[6] = "xxxxx";
    cr_expect_eq(sift_host_from_path("APP-SQL02_netstat.txt", shorter, sizeof shorter), 0);
    cr_expect_str_eq(shorter, "");
}
