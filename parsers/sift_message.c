/* sift_message.c - Windows message layouts, English and Japanese. */
#include "sift_message.h"

#include "sift_cursor.h"

int sift_message_label(sift_slice text, const sift_slice *labels, size_t n, sift_slice *value)
{
    *value = (sift_slice){ NULL, 0 };
    sift_cursor c = sift_cur_make(text);
    sift_slice line;
    while (sift_cur_take_line(&c, &line)) {
        if (line.len == 0)
            continue;
        sift_cursor lc = sift_cur_make(line);
        sift_cur_skip_blanks(&lc);
        for (size_t i = 0; i < n; i++) {
            if (labels[i].len && sift_cur_accept(&lc, labels[i])) {
                *value = sift_slice_trim(sift_cur_rest(&lc));
                return 1;
            }
        }
    }
    return 0;
}

/* Where the next field of a crash line starts: after ',' in English
 * ("svchost.exe_TSGateway, version: ..."), after the ideographic comma on
 * ja-JP ("svchost.exe_TSGateway、バージョン: ..."). Returns the length of the
 * first field and sets *rest to what follows its separator. */
static size_t first_field(sift_slice v, sift_slice *rest)
{
    size_t comma = sift_slice_find_byte(v, ',');
    size_t ideo = sift_slice_find(v, SIFT_LIT("\xE3\x80\x81"));
    size_t end = comma < ideo ? comma : ideo;
    size_t skip = end == v.len ? 0 : (end == comma ? 1 : 3);
    *rest = sift_slice_sub(v, end + skip, v.len);
    return end;
}

/* "APP, version: V, time stamp: ..." -> APP and V. */
static void name_and_version(sift_slice v, sift_slice *name, sift_slice *version)
{
    sift_slice rest;
    *name = sift_slice_trim(sift_slice_sub(v, 0, first_field(v, &rest)));
    sift_slice second;
    sift_slice after;
    second = sift_slice_trim(sift_slice_sub(rest, 0, first_field(rest, &after)));
    static const sift_slice vlabels[] = { SIFT_LIT("version:"), SIFT_LIT("バージョン:") };
    for (size_t i = 0; i < sizeof vlabels / sizeof vlabels[0]; i++) {
        if (sift_slice_starts_with(second, vlabels[i])) {
            *version = sift_slice_trim(sift_slice_sub(second, vlabels[i].len, second.len));
            return;
        }
    }
    *version = (sift_slice){ NULL, 0 };
}

/* The Event 1000 labels as Windows writes them in English and on ja-JP.
 * Japanese builds before Windows 11 24H2 say 障害が発生している (is
 * faulting) for the module; 24H2 says 障害が発生した. */
static const sift_slice app_labels[] = {
    SIFT_LIT("Faulting application name:"),
    SIFT_LIT("障害が発生しているアプリケーション名:"),
};
static const sift_slice module_labels[] = {
    SIFT_LIT("Faulting module name:"),
    SIFT_LIT("障害が発生しているモジュール名:"),
    SIFT_LIT("障害が発生したモジュール名:"),
};
static const sift_slice code_labels[] = {
    SIFT_LIT("Exception code:"),
    SIFT_LIT("例外コード:"),
};
#define NLAB(a) (sizeof(a) / sizeof((a)[0]))

/* A label inside a line, after a blank: forwarders that flatten a message
 * onto one line (Snare, syslog relays) turn its line ends into spaces. The
 * first occurrence of any label, or line.len when there is none. */
static size_t inline_label(sift_slice line, const sift_slice *labels, size_t n, size_t *label_len)
{
    size_t best = line.len;
    for (size_t i = 0; i < n; i++) {
        size_t from = 1;
        while (from < best) {
            const sift_slice rest = sift_slice_sub(line, from, best - from);
            const size_t at = from + sift_slice_find(rest, labels[i]);
            if (at >= best)
                break;
            if (line.ptr[at - 1] == ' ' || line.ptr[at - 1] == '\t') {
                best = at;
                *label_len = labels[i].len;
                break;
            }
            from = at + 1;
        }
    }
    return best;
}

/* The value after the first line's label, as sift_message_label reads it;
 * in a flattened message (flat: one line) a label inside the line counts
 * too, its value running on to the line end, or with token_only to the next
 * blank, as the next label follows it there. A message of several lines
 * keeps its labels at line starts: prose there may quote a label. */
static int label_value(sift_slice text, const sift_slice *labels, size_t n, int flat, int token_only,
                       sift_slice *value)
{
    if (sift_message_label(text, labels, n, value))
        return 1;
    if (!flat)
        return 0;
    /* Flat: every line but one is blank, so the whole text stands for it. */
    size_t len = 0;
    const size_t at = inline_label(text, labels, n, &len);
    if (at == text.len)
        return 0;
    sift_cursor lc = sift_cur_make(sift_slice_sub(text, at + len, text.len));
    sift_cur_skip_blanks(&lc);
    *value = sift_slice_trim(token_only ? sift_cur_take_token(&lc) : sift_cur_rest(&lc));
    return 1;
}

static void app_error_1000(sift_event *ev)
{
    sift_slice v, name, version;
    const sift_slice m = sift_slice_trim(ev->message);
    const int flat = sift_slice_find_byte(m, '\n') == m.len;
    if (label_value(ev->message, app_labels, NLAB(app_labels), flat, 0, &v)) {
        name_and_version(v, &name, &version);
        if (!ev->fld[SIFT_FLD_APP_NAME].len)
            ev->fld[SIFT_FLD_APP_NAME] = name;
        if (!ev->fld[SIFT_FLD_APP_VERSION].len)
            ev->fld[SIFT_FLD_APP_VERSION] = version;
    }
    if (label_value(ev->message, module_labels, NLAB(module_labels), flat, 0, &v)) {
        name_and_version(v, &name, &version);
        if (!ev->fld[SIFT_FLD_MODULE_NAME].len)
            ev->fld[SIFT_FLD_MODULE_NAME] = name;
        if (!ev->fld[SIFT_FLD_MODULE_VERSION].len)
            ev->fld[SIFT_FLD_MODULE_VERSION] = version;
    }
    if (!ev->fld[SIFT_FLD_EXCEPTION_CODE].len &&
        label_value(ev->message, code_labels, NLAB(code_labels), flat, 1, &v))
        ev->fld[SIFT_FLD_EXCEPTION_CODE] = v;
}

/* "The system uptime is 42953114 seconds." / "システムの稼働時間は N 秒です。":
 * the first integer, whatever the language. */
static void eventlog_6013(sift_event *ev)
{
    sift_slice m = ev->message;
    size_t i = 0;
    while (i < m.len && !(m.ptr[i] >= '0' && m.ptr[i] <= '9'))
        i++;
    size_t j = i;
    while (j < m.len && m.ptr[j] >= '0' && m.ptr[j] <= '9')
        j++;
    if (j > i && !ev->fld[SIFT_FLD_UPTIME].len)
        ev->fld[SIFT_FLD_UPTIME] = sift_slice_sub(m, i, j - i);
}

/* WER 1001's problem signature: "P1: svchost.exe_TSGateway", ... "P8:
 * c0000005". The P labels are the same in every display language. */
static void wer_1001(sift_event *ev)
{
    static const struct {
        sift_slice label;
        sift_fld fld;
    } sig[] = {
        { SIFT_LIT("P1:"), SIFT_FLD_APP_NAME },      { SIFT_LIT("P2:"), SIFT_FLD_APP_VERSION },
        { SIFT_LIT("P4:"), SIFT_FLD_MODULE_NAME },   { SIFT_LIT("P5:"), SIFT_FLD_MODULE_VERSION },
        { SIFT_LIT("P8:"), SIFT_FLD_EXCEPTION_CODE },
    };
    for (size_t i = 0; i < NLAB(sig); i++) {
        sift_slice v;
        if (!ev->fld[sig[i].fld].len && sift_message_label(ev->message, &sig[i].label, 1, &v))
            ev->fld[sig[i].fld] = v;
    }
}

/* SCM 7031/7034: "The NAME service terminated unexpectedly." or, on ja-JP,
 * "NAME サービスは予期せぬ原因により終了しました。": the service's display
 * name, from the message's first line. */
static void scm_crash(sift_event *ev)
{
    static const sift_slice en_head = SIFT_LIT("The "), en_tail = SIFT_LIT(" service terminated unexpectedly"),
                            ja_tail = SIFT_LIT(" サービスは予期せぬ原因により終了しました");
    sift_slice m = sift_slice_trim(ev->message);
    sift_slice line = sift_slice_sub(m, 0, sift_slice_find_byte(m, '\n'));
    size_t at = sift_slice_find(line, en_tail);
    if (at < line.len && sift_slice_starts_with(line, en_head) && at > en_head.len) {
        ev->fld[SIFT_FLD_SERVICE] = sift_slice_trim(sift_slice_sub(line, en_head.len, at - en_head.len));
        return;
    }
    at = sift_slice_find(line, ja_tail);
    if (at < line.len && at > 0)
        ev->fld[SIFT_FLD_SERVICE] = sift_slice_trim(sift_slice_sub(line, 0, at));
}

void sift_message_fields(sift_event *ev)
{
    if (!(ev->have & SIFT_EV_ID) || ev->message.len == 0)
        return;
    if (ev->id == 1000 && sift_slice_eq_nocase(ev->provider, SIFT_LIT("Application Error")))
        app_error_1000(ev);
    else if (ev->id == 6013 && sift_slice_eq_nocase(ev->provider, SIFT_LIT("EventLog")))
        eventlog_6013(ev);
    else if (ev->id == 1001 && sift_slice_eq_nocase(ev->provider, SIFT_LIT("Windows Error Reporting")))
        wer_1001(ev);
    else if ((ev->id == 7031 || ev->id == 7034) && !ev->fld[SIFT_FLD_SERVICE].len &&
             sift_slice_eq_nocase(ev->provider, SIFT_LIT("Service Control Manager")))
        scm_crash(ev);
}
