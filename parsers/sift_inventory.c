/* sift_inventory.c - host inventories, line by line (see sift_inventory.h). */
#include "sift_inventory.h"

#include "sift_cursor.h"
#include "sift_num.h"
#include "sift_time.h"

#include <stddef.h>
#include <string.h>

enum kind { INV_NONE, INV_SYSTEMINFO, INV_TABLE, INV_LIST };

/* What a labelled line states. */
enum field {
    F_NONE,
    F_HOST,
    F_OS_NAME,
    F_OS_VERSION,
    F_BUILD,
    F_INSTALLED,
    F_BOOT,
    F_TZ,     /* systeminfo: "(UTC+09:00) ..." */
    F_TZ_MIN, /* WMI: minutes from UTC */
    F_HOTFIX, /* systeminfo: "N Hotfix(s) Installed." */
    F_NOW,    /* the inventory's own clock */
    F_UPTIME, /* Get-ComputerInfo: d.hh:mm:ss */
    F_KBLIST, /* Get-ComputerInfo: {KB1, KB2...} */
    F_MARK,   /* a line of a list, no fact in it */
};

typedef struct label {
    const char *text;
    uint8_t len;
    uint8_t field;
} label;

#define LABEL(t, f) { t, sizeof t - 1, f }

/* systeminfo labels, followed at once by ':'. */
static const label si_labels[] = {
    LABEL("Host Name", F_HOST),
    LABEL("OS Name", F_OS_NAME),
    LABEL("OS Version", F_OS_VERSION),
    LABEL("Original Install Date", F_INSTALLED),
    LABEL("System Boot Time", F_BOOT),
    LABEL("Time Zone", F_TZ),
    LABEL("Hotfix(s)", F_HOTFIX),
    LABEL("ホスト名", F_HOST),
    LABEL("OS 名", F_OS_NAME),
    LABEL("OS バージョン", F_OS_VERSION),
    LABEL("最初のインストール日付", F_INSTALLED),
    LABEL("システム起動時間", F_BOOT),
    LABEL("タイム ゾーン", F_TZ),
    LABEL("ホットフィックス", F_HOTFIX),
};

/* PowerShell Format-List and wmic /format:list property names (ASCII
 * case-insensitive), followed by blanks and ':' or '='. */
static const label list_labels[] = {
    LABEL("CsName", F_HOST),
    LABEL("OsName", F_OS_NAME),
    LABEL("OsVersion", F_OS_VERSION),
    LABEL("OsBuildNumber", F_BUILD),
    LABEL("OsInstallDate", F_INSTALLED),
    LABEL("OsLastBootUpTime", F_BOOT),
    LABEL("OsLocalDateTime", F_NOW),
    LABEL("OsUptime", F_UPTIME),
    LABEL("OsCurrentTimeZone", F_TZ_MIN),
    LABEL("OsHotFixes", F_KBLIST),
    LABEL("WindowsInstallDateFromRegistry", F_MARK),
    LABEL("Caption", F_OS_NAME),
    LABEL("Version", F_OS_VERSION),
    LABEL("BuildNumber", F_BUILD),
    LABEL("InstallDate", F_INSTALLED),
    LABEL("LastBootUpTime", F_BOOT),
    LABEL("LocalDateTime", F_NOW),
    LABEL("CurrentTimeZone", F_TZ_MIN),
};

typedef struct text {
    uint16_t len;
    char b[SIFT_INV_VALUE_MAX];
} text;

typedef struct inv {
    uint8_t kind;
    uint8_t in_hotfix;  /* systeminfo: KB rows may follow row_line */
    uint8_t has_count;  /* the hotfix count systeminfo states */
    uint8_t kbs_cut;    /* more KBs than fit */
    uint8_t kbs_short;  /* a list that says it is cut (OsHotFixes "...") */
    uint8_t has_kblist; /* OsHotFixes was read */
    uint8_t has_uptime;
    uint8_t has_off;
    uint32_t set; /* bit per field read */
    uint32_t count, listed;
    int32_t off_min;
    uint64_t uptime_s;
    uint64_t first_line, first_off, last_line, row_line;
    size_t col_host; /* table: character column of CSName or Source; SIZE_MAX: none */
    uint32_t build;
    text host, os_name, os_version, tz, boot, installed, now;
    uint32_t n_kbs;
    uint32_t kbs[SIFT_FACT_MAX_KBS];
} inv;

typedef struct inv_state {
    inv cur, done;
} inv_state;

/* ---- values ------------------------------------------------------------------------ */

static void put_text(text *t, sift_slice v)
{
    v = sift_slice_trim(v);
    size_t n = v.len < SIFT_INV_VALUE_MAX ? v.len : SIFT_INV_VALUE_MAX;
    if (n)
        memcpy(t->b, v.ptr, n);
    t->len = (uint16_t)n;
}

static sift_slice text_slice(const text *t)
{
    return sift_slice_make(t->b, t->len);
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* n digits at p as a number. */
static uint32_t digits(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint32_t)(p[i] - '0');
    return v;
}

/* A whole token "KBnnnn" (4 to 8 digits): 1 with *kb. */
static int kb_token(sift_slice t, uint32_t *kb)
{
    if (t.len < 6 || t.len > 10 || t.ptr[0] != 'K' || t.ptr[1] != 'B')
        return 0;
    for (size_t i = 2; i < t.len; i++)
        if (!is_digit(t.ptr[i]))
            return 0;
    *kb = digits(t.ptr + 2, t.len - 2);
    return 1;
}

static void add_kb(inv *c, uint32_t kb)
{
    if (c->n_kbs < SIFT_FACT_MAX_KBS)
        c->kbs[c->n_kbs++] = kb;
    else
        c->kbs_cut = 1;
}

static int days_in_month(uint32_t y, uint32_t m)
{
    static const uint8_t d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

sift_status sift_inventory_wmi_time(sift_slice s, sift_when *out, int32_t *off_min, uint8_t *has_off)
{
    memset(out, 0, sizeof *out);
    s = sift_slice_trim(s);
    if (s.len < 14)
        return SIFT_ERR_SYNTAX;
    for (size_t i = 0; i < 14; i++)
        if (!is_digit(s.ptr[i]))
            return SIFT_ERR_SYNTAX;
    uint32_t y = digits(s.ptr, 4), mo = digits(s.ptr + 4, 2), d = digits(s.ptr + 6, 2);
    uint32_t h = digits(s.ptr + 8, 2), mi = digits(s.ptr + 10, 2), se = digits(s.ptr + 12, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || (int)d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59)
        return SIFT_ERR_SYNTAX;
    size_t i = 14;
    uint32_t nsec = 0, scale = 100000000u;
    if (i < s.len && s.ptr[i] == '.') {
        i++;
        size_t start = i;
        while (i < s.len && is_digit(s.ptr[i]) && i - start < 9) {
            nsec += (uint32_t)(s.ptr[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == start)
            return SIFT_ERR_SYNTAX;
    }
    int32_t off = 0;
    int zoned = 0;
    if (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-')) {
        int neg = s.ptr[i] == '-';
        size_t start = ++i;
        while (i < s.len && is_digit(s.ptr[i]) && i - start < 3)
            i++;
        if (i == start)
            return SIFT_ERR_SYNTAX;
        off = (int32_t)digits(s.ptr + start, i - start);
        if (off > 14 * 60)
            return SIFT_ERR_SYNTAX;
        off = neg ? -off : off;
        zoned = 1;
    }
    if (i != s.len)
        return SIFT_ERR_SYNTAX;
    int64_t secs = sift_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    if (zoned) {
        secs -= (int64_t)off * 60;
        if (secs < 0)
            return SIFT_ERR_SYNTAX;
        *off_min = off;
        *has_off = 1;
    }
    *out = (sift_when){ secs, nsec, 1, (uint8_t)zoned };
    return SIFT_OK;
}

int sift_inventory_tz_offset(sift_slice tz, int32_t *min)
{
    sift_cursor c = sift_cur_make(sift_slice_trim(tz));
    if (!sift_cur_accept_byte(&c, '(') ||
        !(sift_cur_accept(&c, SIFT_LIT("UTC")) || sift_cur_accept(&c, SIFT_LIT("GMT"))))
        return 0;
    if (sift_cur_accept_byte(&c, ')')) {
        *min = 0;
        return 1;
    }
    int neg = sift_cur_peek(&c) == '-';
    if (!sift_cur_accept_byte(&c, '+') && !sift_cur_accept_byte(&c, '-'))
        return 0;
    sift_slice hh, mm;
    if (!sift_cur_take(&c, 2, &hh) || !sift_cur_accept_byte(&c, ':') || !sift_cur_take(&c, 2, &mm) ||
        !sift_cur_accept_byte(&c, ')') || !is_digit(hh.ptr[0]) || !is_digit(hh.ptr[1]) || !is_digit(mm.ptr[0]) ||
        !is_digit(mm.ptr[1]))
        return 0;
    uint32_t h = digits(hh.ptr, 2), m = digits(mm.ptr, 2);
    if (h > 14 || m > 59)
        return 0;
    *min = (int32_t)(h * 60 + m) * (neg ? -1 : 1);
    return 1;
}

/* "497.02:27:53.1234567" or "02:27:53" (a .NET TimeSpan). */
static int timespan(sift_slice s, uint64_t *secs)
{
    sift_cursor c = sift_cur_make(sift_slice_trim(s));
    uint64_t part[4] = { 0, 0, 0, 0 };
    size_t n = 0;
    while (n < 4) {
        size_t start = c.pos;
        while (!sift_cur_eof(&c) && is_digit((uint8_t)sift_cur_peek(&c)) && c.pos - start < 9)
            part[n] = part[n] * 10 + (uint64_t)(sift_cur_peek(&c) - '0'), c.pos++;
        if (c.pos == start)
            return 0;
        n++;
        if (sift_cur_eof(&c) || !(sift_cur_accept_byte(&c, n == 1 ? '.' : ':') || sift_cur_accept_byte(&c, ':')))
            break;
    }
    /* Fractions after the seconds are dropped. */
    if (!sift_cur_eof(&c) && !(n >= 3 && sift_cur_accept_byte(&c, '.')))
        return 0;
    uint64_t d = 0, h, m, sec;
    if (n == 4)
        d = part[0], h = part[1], m = part[2], sec = part[3];
    else if (n == 3)
        h = part[0], m = part[1], sec = part[2];
    else
        return 0;
    if (h > 23 || m > 59 || sec > 59)
        return 0;
    *secs = ((d * 24 + h) * 60 + m) * 60 + sec;
    return 1;
}

/* "(UTC+09:00)"-less minutes, -720..840. */
static int minutes(sift_slice s, int32_t *out)
{
    s = sift_slice_trim(s);
    int neg = s.len && s.ptr[0] == '-';
    if (neg || (s.len && s.ptr[0] == '+'))
        s = sift_slice_sub(s, 1, s.len - 1);
    uint64_t v;
    if (sift_num_u64(s, &v) != SIFT_OK || v > 14 * 60)
        return 0;
    *out = neg ? -(int32_t)v : (int32_t)v;
    return 1;
}

/* The date of a WMI or locale value, with the day/month order given. */
static sift_when when_of(const text *t, unsigned order, int32_t *off, uint8_t *has_off)
{
    sift_when w = { 0 };
    if (!t->len)
        return w;
    if (sift_inventory_wmi_time(text_slice(t), &w, off, has_off) == SIFT_OK)
        return w;
    if (sift_time_parse_order(text_slice(t), order, &w) != SIFT_OK)
        memset(&w, 0, sizeof w);
    return w;
}

/* systeminfo and Get-CimInstance write dates in the user's locale: the
 * order is the one any of them reads in alone, else the usual one for
 * their shape. */
static unsigned date_order(const inv *c)
{
    const text *t[3] = { &c->boot, &c->installed, &c->now };
    const unsigned both = SIFT_DATE_MDY | SIFT_DATE_DMY;
    unsigned allowed = both, dflt = 0;
    for (int i = 0; i < 3; i++) {
        unsigned o = t[i]->len ? sift_time_orders(text_slice(t[i])) & both : 0;
        if (o && o != both && (allowed & o))
            allowed &= o;
        if (!dflt && o)
            dflt = sift_time_default_order(text_slice(t[i]));
    }
    if (allowed != both)
        return allowed;
    return dflt ? dflt : SIFT_DATE_MDY;
}

/* ---- labelled lines ------------------------------------------------------------------ */

/* Every field, for the label readers' want mask (bit f: field f). A line
 * matches at most one label of a table (no label holds ':' or '=', no list
 * label a blank), so leaving fields out changes only which labels are
 * compared, never which one a line is read as. */
#define ALL_FIELDS (~0u)

/* systeminfo: "Label:" at column 0, then the value; F_NONE unless its
 * field is in want. */
static int si_label(sift_slice line, sift_slice *val, unsigned want)
{
    for (size_t i = 0; i < sizeof si_labels / sizeof si_labels[0]; i++) {
        if (!(want >> si_labels[i].field & 1u))
            continue;
        sift_slice l = sift_slice_make(si_labels[i].text, si_labels[i].len);
        if (line.len > l.len && sift_slice_starts_with(line, l) && line.ptr[l.len] == ':') {
            *val = sift_slice_trim(sift_slice_sub(line, l.len + 1, line.len - l.len - 1));
            return si_labels[i].field;
        }
    }
    return F_NONE;
}

/* "Name    : value" or "Name=value" at column 0; F_NONE unless its field
 * is in want. */
static int list_label(sift_slice line, sift_slice *val, unsigned want)
{
    for (size_t i = 0; i < sizeof list_labels / sizeof list_labels[0]; i++) {
        if (!(want >> list_labels[i].field & 1u))
            continue;
        sift_slice l = sift_slice_make(list_labels[i].text, list_labels[i].len);
        if (!sift_slice_starts_with_nocase(line, l))
            continue;
        sift_cursor c = sift_cur_make(line);
        c.pos = l.len;
        sift_cur_skip_blanks(&c);
        if (!sift_cur_accept_byte(&c, ':') && !sift_cur_accept_byte(&c, '='))
            continue;
        *val = sift_slice_trim(sift_cur_rest(&c));
        return list_labels[i].field;
    }
    return F_NONE;
}

/* A wmic qfe or Get-HotFix header: the HotFixID column and another known
 * one. *col: the column of CSName or Source, SIZE_MAX when absent. */
static int table_header(sift_slice line, size_t *col)
{
    static const char *const cols[] = { "Caption", "CSName", "Source", "Description", "InstalledBy", "InstalledOn" };
    sift_cursor c = sift_cur_make(line);
    int hotfix = 0, other = 0;
    *col = SIZE_MAX;
    if (sift_slice_find(line, SIFT_LIT("HotFixID")) == line.len)
        return 0;
    for (;;) {
        sift_cur_skip_blanks(&c);
        size_t at = c.pos;
        sift_slice t = sift_cur_take_token(&c);
        if (t.len == 0)
            break;
        if (sift_slice_eq(t, SIFT_LIT("HotFixID"))) {
            hotfix = 1;
            continue;
        }
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            if (sift_slice_eq(t, sift_slice_make(cols[i], strlen(cols[i])))) {
                other = 1;
                if (i == 1 || i == 2)
                    *col = at;
            }
    }
    return hotfix && other;
}

/* The token at character column col of a table row, when one starts
 * there (wmic pads columns by characters, so UTF-8 bytes before the
 * column are counted as characters). */
static sift_slice column_token(sift_slice row, size_t col)
{
    size_t chars = 0, i = 0;
    for (; i < row.len && chars < col; i++)
        if ((row.ptr[i] & 0xC0) != 0x80)
            chars++;
    while (i < row.len && (row.ptr[i] & 0xC0) == 0x80)
        i++;
    if (chars != col || i >= row.len || row.ptr[i] == ' ' || row.ptr[i] == '\t' ||
        (i > 0 && row.ptr[i - 1] != ' ' && row.ptr[i - 1] != '\t'))
        return sift_slice_make(NULL, 0);
    sift_cursor c = sift_cur_make(row);
    c.pos = i;
    return sift_cur_take_token(&c);
}

/* A systeminfo hotfix row: "[NN]: KBnnnn" after blanks. */
static int si_row(sift_slice line, uint32_t *kb)
{
    sift_cursor c = sift_cur_make(line);
    if (sift_cur_skip_blanks(&c) == 0 || !sift_cur_accept_byte(&c, '['))
        return 0;
    size_t start = c.pos;
    while (!sift_cur_eof(&c) && is_digit((uint8_t)sift_cur_peek(&c)))
        c.pos++;
    if (c.pos == start || !sift_cur_accept(&c, SIFT_LIT("]:")))
        return 0;
    sift_cur_skip_blanks(&c);
    sift_slice t = sift_cur_take_token(&c);
    return sift_cur_eof(&c) && kb_token(t, kb);
}

/* ---- inventories ----------------------------------------------------------------------- */

static uint64_t gap_of(const inv *c)
{
    return c->kind == INV_TABLE ? SIFT_INV_ROW_GAP : c->kind == INV_LIST ? SIFT_INV_GAP_LIST : SIFT_INV_GAP_SYSTEMINFO;
}

static int worth(const inv *c)
{
    switch (c->kind) {
    case INV_SYSTEMINFO:
        return c->host.len || c->os_name.len || c->os_version.len || c->boot.len || c->n_kbs;
    case INV_TABLE:
        return c->n_kbs > 0;
    case INV_LIST:
        /* Caption, Version and dates are everywhere: a list counts only
         * when it names the computer or a Windows product. */
        return c->host.len || c->os_name.len;
    }
    return 0;
}

/* The finished inventory d as a fact (slices into d). */
static void to_fact(inv *d, sift_host_fact *f)
{
    memset(f, 0, sizeof *f);
    f->host = text_slice(&d->host);
    f->os_name = text_slice(&d->os_name);
    f->os_version = text_slice(&d->os_version);
    f->time_zone = text_slice(&d->tz);
    sift_fact_version(f->os_version, f);
    if (!f->build)
        f->build = d->build;
    int32_t off = d->off_min;
    uint8_t has_off = d->has_off;
    if (!has_off && d->tz.len)
        has_off = (uint8_t)sift_inventory_tz_offset(f->time_zone, &off);
    unsigned order = date_order(d);
    f->boot_time = when_of(&d->boot, order, &off, &has_off);
    f->installed = when_of(&d->installed, order, &off, &has_off);
    f->captured = when_of(&d->now, order, &off, &has_off);
    if (!f->captured.valid && d->has_uptime && f->boot_time.valid) {
        f->captured = f->boot_time;
        f->captured.secs += (int64_t)d->uptime_s;
    }
    f->utc_offset_min = off;
    f->has_utc_offset = has_off;
    f->kbs = d->kbs;
    f->n_kbs = d->n_kbs;
    switch (d->kind) {
    case INV_SYSTEMINFO:
        f->kbs_complete = d->has_count && d->listed == d->count && !d->kbs_cut;
        break;
    case INV_TABLE:
        f->kbs_complete = !d->kbs_cut;
        break;
    default:
        f->kbs_complete = d->has_kblist && !d->kbs_short && !d->kbs_cut;
        break;
    }
    f->where.offset = d->first_off;
    f->where.line = d->first_line;
}

/* End the open inventory; SIFT_FACT_DONE when it gives a fact. */
static unsigned close_inv(inv_state *st, sift_host_fact *out)
{
    inv *c = &st->cur;
    unsigned r = 0;
    if (c->kind && worth(c)) {
        memcpy(&st->done, c, offsetof(inv, kbs) + c->n_kbs * sizeof c->kbs[0]);
        to_fact(&st->done, out);
        r = SIFT_FACT_DONE;
    }
    c->kind = INV_NONE;
    return r;
}

static unsigned open_inv(inv_state *st, uint8_t kind, uint64_t line_no, uint64_t offset)
{
    inv *c = &st->cur;
    memset(c, 0, offsetof(inv, kbs));
    c->kind = kind;
    c->first_line = c->last_line = c->row_line = line_no;
    c->first_off = offset;
    c->col_host = SIZE_MAX;
    return SIFT_FACT_OPENED;
}

/* Whether a value is one the field can hold; list values are checked
 * before they open anything (Caption or Version alone mean little). */
static int value_ok(int field, sift_slice v, uint64_t *num)
{
    sift_host_fact tmp;
    int32_t m;
    switch (field) {
    case F_HOST:
        return v.len > 0 && sift_slice_find_byte(v, ' ') == v.len;
    case F_OS_NAME:
        return sift_slice_find_nocase(v, SIFT_LIT("Windows")) < v.len;
    case F_OS_VERSION:
        memset(&tmp, 0, sizeof tmp);
        sift_fact_version(v, &tmp);
        return tmp.major != 0;
    case F_BUILD:
        return sift_num_u64(v, num) == SIFT_OK && *num <= UINT32_MAX;
    case F_TZ_MIN:
        return minutes(v, &m);
    case F_UPTIME:
        return timespan(v, num);
    default:
        return v.len > 0;
    }
}

/* Set a field of the open inventory from its value. */
static void set_field(inv *c, int field, sift_slice v, uint64_t num)
{
    c->set |= 1u << field;
    switch (field) {
    case F_HOST:
        put_text(&c->host, v);
        break;
    case F_OS_NAME:
        put_text(&c->os_name, v);
        break;
    case F_OS_VERSION:
        put_text(&c->os_version, v);
        break;
    case F_BUILD:
        c->build = (uint32_t)num;
        break;
    case F_INSTALLED:
        put_text(&c->installed, v);
        break;
    case F_BOOT:
        put_text(&c->boot, v);
        break;
    case F_NOW:
        put_text(&c->now, v);
        break;
    case F_TZ:
        put_text(&c->tz, v);
        break;
    case F_TZ_MIN:
        c->has_off = (uint8_t)minutes(v, &c->off_min);
        break;
    case F_UPTIME:
        c->uptime_s = num;
        c->has_uptime = 1;
        break;
    case F_HOTFIX: {
        /* "302 Hotfix(s) Installed.", "294 ホットフィックスがインストールされています。" */
        size_t n = 0;
        while (n < v.len && n < 6 && is_digit(v.ptr[n]))
            n++;
        c->has_count = n > 0 && n < 6;
        c->count = c->has_count ? digits(v.ptr, n) : 0;
        c->in_hotfix = 1;
        break;
    }
    case F_KBLIST: {
        /* "{KB5040437, KB5039894...}": PowerShell shows four, then "...". */
        sift_cursor k = sift_cur_make(v);
        c->has_kblist = 1;
        while (!sift_cur_eof(&k)) {
            size_t at = k.pos;
            while (!sift_cur_eof(&k) && sift_cur_peek(&k) != 'K')
                k.pos++;
            size_t s0 = k.pos;
            while (!sift_cur_eof(&k) && (sift_cur_peek(&k) == 'K' || sift_cur_peek(&k) == 'B' ||
                                         is_digit((uint8_t)sift_cur_peek(&k))))
                k.pos++;
            uint32_t kb;
            if (kb_token(sift_cur_slice(&k, s0, k.pos - s0), &kb))
                add_kb(c, kb);
            if (k.pos == at)
                k.pos++;
        }
        c->kbs_short = sift_slice_find(v, SIFT_LIT("...")) < v.len || sift_slice_find(v, SIFT_LIT("\xE2\x80\xA6")) < v.len;
        break;
    }
    }
}

static unsigned on_si(inv_state *st, int field, sift_slice v, uint64_t line_no, uint64_t offset, sift_host_fact *out)
{
    inv *c = &st->cur;
    unsigned r = 0;
    /* A Host Name starts an inventory; so does a label read twice (two
     * captures without their first lines). */
    if (field == F_HOST || c->kind != INV_SYSTEMINFO || (c->set >> field & 1u)) {
        r |= close_inv(st, out);
        r |= open_inv(st, INV_SYSTEMINFO, line_no, offset);
    }
    set_field(c, field, v, 0);
    if (field != F_HOTFIX)
        c->in_hotfix = 0;
    c->last_line = c->row_line = line_no;
    return r;
}

static unsigned on_list(inv_state *st, int field, sift_slice v, uint64_t line_no, uint64_t offset,
                        sift_host_fact *out)
{
    inv *c = &st->cur;
    uint64_t num = 0;
    if (!value_ok(field, v, &num))
        return 0;
    unsigned r = 0;
    if (c->kind != INV_LIST || (field != F_MARK && (c->set >> field & 1u))) {
        r |= close_inv(st, out);
        r |= open_inv(st, INV_LIST, line_no, offset);
    }
    if (field != F_MARK)
        set_field(c, field, v, num);
    c->last_line = line_no;
    return r;
}

static unsigned on_row(inv_state *st, sift_slice line, uint64_t line_no, uint64_t offset, sift_host_fact *out)
{
    inv *c = &st->cur;
    uint32_t kb;
    if (c->kind == INV_SYSTEMINFO) {
        /* Rows right below Hotfix(s) only: a KB in another label's rows
         * or in event text further on is no hotfix row. */
        if (!c->in_hotfix || line_no != c->row_line + 1 || !si_row(line, &kb))
            return 0;
        add_kb(c, kb);
        c->listed++;
        c->last_line = c->row_line = line_no;
        return 0;
    }
    if (c->kind != INV_TABLE || line_no > c->row_line + SIFT_INV_ROW_GAP)
        return 0;
    sift_cursor k = sift_cur_make(line);
    int found = 0;
    while (!found) {
        sift_cur_skip_blanks(&k);
        sift_slice t = sift_cur_take_token(&k);
        if (t.len == 0)
            break;
        found = kb_token(t, &kb);
    }
    if (!found)
        return 0;
    unsigned r = 0;
    sift_slice host = c->col_host != SIZE_MAX ? column_token(line, c->col_host) : sift_slice_make(NULL, 0);
    /* Get-HotFix -ComputerName A,B: one table, several hosts. */
    if (host.len && c->host.len && !sift_slice_eq_nocase(host, text_slice(&c->host))) {
        size_t col = c->col_host;
        r |= close_inv(st, out);
        r |= open_inv(st, INV_TABLE, line_no, offset);
        c->col_host = col;
    }
    if (host.len && !c->host.len)
        put_text(&c->host, host);
    add_kb(c, kb);
    c->listed++;
    c->last_line = c->row_line = line_no;
    return r;
}

static void inv_init(void *state)
{
    inv_state *st = state;
    st->cur.kind = INV_NONE;
    st->done.kind = INV_NONE;
}

static unsigned inv_line(void *state, sift_slice line, uint64_t line_no, uint64_t offset, sift_host_fact *out)
{
    inv_state *st = state;
    inv *c = &st->cur;
    unsigned r = 0;
    while (line.len && sift_is_space(line.ptr[line.len - 1]))
        line.len--;
    if (c->kind && line_no > c->last_line + gap_of(c))
        r |= close_inv(st, out);
    sift_slice v;
    size_t col;
    int field;
    if ((field = si_label(line, &v, ALL_FIELDS)) != F_NONE) {
        r |= on_si(st, field, v, line_no, offset, out);
    } else if ((field = list_label(line, &v, ALL_FIELDS)) != F_NONE) {
        r |= on_list(st, field, v, line_no, offset, out);
    } else if (table_header(line, &col)) {
        r |= close_inv(st, out);
        r |= open_inv(st, INV_TABLE, line_no, offset);
        c->col_host = col;
    } else {
        r |= on_row(st, line, line_no, offset, out);
    }
    return r | (c->kind != INV_NONE ? SIFT_FACT_OPEN : 0u);
}

/* Whether line starts with what can be a label: letters, digits, blanks,
 * parentheses, up to ':' or '=' (Get-ComputerInfo pads its names to about
 * 60 columns). Non-ASCII lines are left to the label tables. */
static int label_first(sift_slice line)
{
    if (line.ptr[0] >= 0x80)
        return 1;
    for (size_t i = 0; i < line.len && i < 96; i++) {
        uint8_t ch = line.ptr[i];
        if (ch == ':' || ch == '=')
            return i > 0;
        if (!is_digit(ch) && !(sift_ascii_lower(ch) >= 'a' && sift_ascii_lower(ch) <= 'z') && !sift_is_blank(ch) &&
            ch != '(' && ch != ')')
            return 0;
    }
    return 0;
}

/* The lines that anchor an inventory, each holding "Install" (the one
 * ASCII literal inventories add to the prefilter) or its Japanese:
 * systeminfo's install date and hotfix count, a hotfix table's header
 * (InstallDate, InstalledBy, InstalledOn), a list's install date. */
static int inv_anchor(sift_slice line)
{
    sift_slice v;
    size_t col;
    while (line.len && sift_is_space(line.ptr[line.len - 1]))
        line.len--;
    /* "Install" is common in event text ("Windows Installer reconfigured
     * the product. Product Name: ..."): most lines are turned down on their
     * first byte (the labels' first letters, the first byte of 最初/ホ in
     * UTF-8) or, in English, for not starting with a label, before the
     * label tables are tried; a hotfix table is known by its HotFixID
     * column. */
    static const char firsts[] = "OoHIiWw\xE6\xE3";
    if (line.len == 0 || ((!memchr(firsts, line.ptr[0], sizeof firsts - 1) || !label_first(line)) &&
                          sift_slice_find(line, SIFT_LIT("HotFixID")) == line.len))
        return 0;
    /* Only the anchoring labels are compared. */
    if (si_label(line, &v, 1u << F_INSTALLED | 1u << F_HOTFIX) != F_NONE)
        return 1;
    if (list_label(line, &v, 1u << F_INSTALLED | 1u << F_MARK) != F_NONE)
        return 1;
    return table_header(line, &col);
}

static unsigned inv_end(void *state, sift_host_fact *out)
{
    return close_inv(state, out);
}

/* ---- the format ------------------------------------------------------------------------- */

/* One literal per script, each anchoring the lines around it (see
 * sift_line_ops): every English shape read holds "Install", the Japanese
 * ones インストール, which needs a byte >= 0x80 and goes in the database
 * that ASCII blocks skip. */
static const sift_pattern inventory_patterns[] = {
    { "Install", 0, SIFT_ROLE_FACT, 0, { 0 } },
    { "インストール", 0, SIFT_ROLE_FACT, 0, { 0 } },
};

static const sift_line_ops inventory_line = {
    .fact_anchor = inv_anchor,
    .fact_state_size = sizeof(inv_state),
    .fact_init = inv_init,
    .fact_line = inv_line,
    .fact_end = inv_end,
};

const sift_format sift_inventory_format = {
    "inventory",
    "host inventories: systeminfo (en/ja), wmic qfe, Get-HotFix, Get-ComputerInfo, Win32_OperatingSystem lists",
    SIFT_PRODUCES_FACTS,
    inventory_patterns,
    sizeof inventory_patterns / sizeof inventory_patterns[0],
    &inventory_line,
    NULL,
    NULL,
};
