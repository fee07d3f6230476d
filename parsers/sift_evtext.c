/* sift_evtext.c - field extraction from Event Viewer and wevtutil text records. */
#include "sift_evtext.h"

#include "sift_cursor.h"
#include "sift_num.h"
#include "sift_message.h"
#include "sift_time.h"

/* Every label Windows writes before the message, in English and as the ja-JP
 * Event Viewer localizes them, each with its colon. field is the have bit of
 * the slot the value fills; 0 marks a label that has no slot in sift_evtext_rec
 * yet: it is listed so this table stays the one inventory of the format.
 * No entry is a prefix of another once the colon is included ("User:" and
 * "User Name:", "Task:" and "Task Category:"), so order does not matter.
 * Each is longer than SIFT_EVTEXT_LABEL_HEAD bytes. */
typedef struct sift_evtext_label {
    char text[28];
    size_t len;
    unsigned field;
} sift_evtext_label;

#define SIFT_EVTEXT_LABEL(s, f) { s, sizeof(s) - 1, f }

static const sift_evtext_label sift_evtext_labels[] = {
    SIFT_EVTEXT_LABEL("Log Name:", SIFT_EVTEXT_HAS_LOG_NAME),
    SIFT_EVTEXT_LABEL("LogName:", SIFT_EVTEXT_HAS_LOG_NAME), /* Azure support wiki */
    SIFT_EVTEXT_LABEL("Source:", SIFT_EVTEXT_HAS_SOURCE),
    SIFT_EVTEXT_LABEL("Date:", SIFT_EVTEXT_HAS_DATE),
    SIFT_EVTEXT_LABEL("Event ID:", SIFT_EVTEXT_HAS_EVENT_ID),
    SIFT_EVTEXT_LABEL("Task Category:", 0),
    SIFT_EVTEXT_LABEL("Task:", 0),     /* wevtutil */
    SIFT_EVTEXT_LABEL("Level:", SIFT_EVTEXT_HAS_LEVEL),
    SIFT_EVTEXT_LABEL("Opcode:", 0),   /* wevtutil */
    SIFT_EVTEXT_LABEL("Keywords:", 0),
    SIFT_EVTEXT_LABEL("Keyword:", 0),  /* wevtutil */
    SIFT_EVTEXT_LABEL("User:", 0),
    SIFT_EVTEXT_LABEL("User Name:", 0), /* wevtutil */
    SIFT_EVTEXT_LABEL("Computer:", SIFT_EVTEXT_HAS_COMPUTER),
    SIFT_EVTEXT_LABEL("Description:", SIFT_EVTEXT_HAS_DESCRIPTION),
    SIFT_EVTEXT_LABEL("ログの名前:", SIFT_EVTEXT_HAS_LOG_NAME),
    SIFT_EVTEXT_LABEL("ソース:", SIFT_EVTEXT_HAS_SOURCE),
    SIFT_EVTEXT_LABEL("日付:", SIFT_EVTEXT_HAS_DATE),
    SIFT_EVTEXT_LABEL("イベント ID:", SIFT_EVTEXT_HAS_EVENT_ID),
    SIFT_EVTEXT_LABEL("タスクのカテゴリ:", 0),
    SIFT_EVTEXT_LABEL("レベル:", SIFT_EVTEXT_HAS_LEVEL),
    SIFT_EVTEXT_LABEL("キーワード:", 0),
    SIFT_EVTEXT_LABEL("ユーザー:", 0),
    SIFT_EVTEXT_LABEL("コンピューター:", SIFT_EVTEXT_HAS_COMPUTER),
    SIFT_EVTEXT_LABEL("説明:", SIFT_EVTEXT_HAS_DESCRIPTION),
};

/* Every label is longer than this; its first SIFT_EVTEXT_LABEL_HEAD bytes
 * are compared as one word before the whole label is (the Japanese labels
 * all share their first byte, so a byte told too few apart). */
#define SIFT_EVTEXT_LABEL_HEAD 4u

#define SIFT_EVTEXT_N_LABELS (sizeof sift_evtext_labels / sizeof sift_evtext_labels[0])

/* Consume the label c continues with and return it, or NULL (c unchanged).
 * Constant work per call: the table is fixed and each comparison is bounded
 * by the label's length. The search starts at *next and wraps around, and
 * *next is left after the label found: records list their labels in the
 * table's order, so the next one is usually found first. Where it starts
 * changes nothing else, as at most one label matches (none is a prefix of
 * another). */
static const sift_evtext_label *sift_evtext_accept_label(sift_cursor *c, size_t *next)
{
    if (sift_cur_left(c) <= SIFT_EVTEXT_LABEL_HEAD)
        return NULL;
    uint32_t head;
    memcpy(&head, c->buf + c->pos, sizeof head);
    size_t i = *next < SIFT_EVTEXT_N_LABELS ? *next : 0;
    for (size_t k = 0; k < SIFT_EVTEXT_N_LABELS; k++, i = i + 1 < SIFT_EVTEXT_N_LABELS ? i + 1 : 0) {
        const sift_evtext_label *l = &sift_evtext_labels[i];
        uint32_t lh;
        memcpy(&lh, l->text, sizeof lh);
        if (lh == head && sift_cur_accept(c, sift_slice_make(l->text, l->len))) {
            *next = i + 1;
            return l;
        }
    }
    return NULL;
}

/* Every frame starts with 'E' (Event[N]:), 'L' (Log Name:, LogName:) or
 * the first byte of ロ: the engine asks frame of many lines. */
static int evtext_frame_lead(uint8_t b)
{
    return b == 'E' || b == 'L' || b == 0xE3;
}

/* Whether line opens a record the way the engine frames one: "Event[N]:"
 * (wevtutil) or a Log Name label at column 0 (Event Viewer). */
sift_evtext_style sift_evtext_frame(sift_slice line)
{
    if (line.len == 0 || !evtext_frame_lead(line.ptr[0]))
        return 0;
    sift_cursor c = sift_cur_make(line);
    if (sift_cur_accept(&c, SIFT_LIT("Event["))) {
        size_t digits = 0;
        while (sift_cur_peek(&c) >= '0' && sift_cur_peek(&c) <= '9') {
            c.pos++;
            digits++;
        }
        return digits && sift_cur_accept(&c, SIFT_LIT("]:")) ? SIFT_EVTEXT_WEVTUTIL : 0;
    }
    size_t next = 0;
    const sift_evtext_label *l = sift_evtext_accept_label(&c, &next);
    return l && l->field == SIFT_EVTEXT_HAS_LOG_NAME ? SIFT_EVTEXT_VIEWER : 0;
}

/* The message without surrounding whitespace and without trailing separator
 * lines: the Azure wiki puts "---" between records, and the engine's framing
 * leaves it at the end of the record before. Each pass only walks bytes it
 * then drops, or the last line once, so this stays linear. */
static sift_slice sift_evtext_desc_trim(sift_slice d)
{
    for (;;) {
        d = sift_slice_trim(d);
        size_t i = d.len, dashes = 0;
        while (i > 0 && d.ptr[i - 1] == '-') {
            i--;
            dashes++;
        }
        while (i > 0 && (d.ptr[i - 1] == ' ' || d.ptr[i - 1] == '\t'))
            i--;
        if (dashes < 3 || (i > 0 && d.ptr[i - 1] != '\n'))
            return d;
        d = sift_slice_make(d.ptr, i);
    }
}

/* Where a label's value goes, or NULL for a label without a slot. Event ID
 * goes to *id, parsed once the whole record has been seen. */
static sift_slice *sift_evtext_slot(sift_evtext_rec *ev, sift_slice *id, unsigned field)
{
    switch (field) {
    case SIFT_EVTEXT_HAS_LOG_NAME:
        return &ev->log_name;
    case SIFT_EVTEXT_HAS_SOURCE:
        return &ev->source;
    case SIFT_EVTEXT_HAS_DATE:
        return &ev->date;
    case SIFT_EVTEXT_HAS_EVENT_ID:
        return id;
    case SIFT_EVTEXT_HAS_LEVEL:
        return &ev->level;
    case SIFT_EVTEXT_HAS_COMPUTER:
        return &ev->computer;
    default:
        return NULL;
    }
}

sift_status sift_evtext_parse(sift_slice rec, uint64_t base, sift_evtext_rec *ev, sift_error *err)
{
    *ev = (sift_evtext_rec){ 0 };
    sift_cursor c = sift_cur_make(rec);
    sift_slice line;
    if (!sift_cur_take_line(&c, &line) || (ev->style = sift_evtext_frame(line)) == 0)
        return sift_fail(err, SIFT_ERR_SYNTAX, base, "record does not begin with Log Name: or Event[N]:");
    /* The viewer's frame line is its Log Name label: read it again as one. */
    if (ev->style == SIFT_EVTEXT_VIEWER)
        c = sift_cur_make(rec);

    sift_slice id = { NULL, 0 };
    size_t next_label = 0;
    while (sift_cur_take_line(&c, &line)) {
        if (line.len == 0)
            continue;
        /* Viewer labels sit at column 0 and wevtutil's are indented; either
         * is accepted in both layouts, as exports get re-indented. */
        sift_cursor lc = sift_cur_make(line);
        sift_cur_skip_blanks(&lc);
        const sift_evtext_label *l = sift_evtext_accept_label(&lc, &next_label);
        if (l == NULL)
            continue;
        if (l->field == SIFT_EVTEXT_HAS_DESCRIPTION) {
            /* The message is free text to the end of the record: its lines
             * are never labels, whatever they look like. */
            const size_t at = (size_t)(line.ptr - rec.ptr) + lc.pos;
            sift_slice msg = sift_slice_sub(rec, at, rec.len - at);
            /* Event Viewer's "Copy details as text" appends the record's XML
             * after the message; it is not part of it. */
            msg = sift_slice_sub(msg, 0, sift_slice_find(msg, SIFT_LIT("\nEvent Xml:")));
            ev->description = sift_evtext_desc_trim(msg);
            if (ev->description.len)
                ev->have |= SIFT_EVTEXT_HAS_DESCRIPTION;
            break;
        }
        sift_slice *slot = sift_evtext_slot(ev, &id, l->field);
        if (slot == NULL || slot->len)
            continue; /* no slot, or the first occurrence already won */
        /* An empty value counts as absent, so a record cut right after a
         * colon reads the same as one cut before the label. */
        *slot = sift_slice_trim(sift_cur_rest(&lc));
        if (slot->len && l->field != SIFT_EVTEXT_HAS_EVENT_ID)
            ev->have |= l->field;
    }

    if (id.len == 0)
        return sift_fail(err, SIFT_ERR_MISSING, base, "no Event ID line");
    uint64_t v;
    if (sift_num_u64(id, &v) != SIFT_OK || v > 0xffffu)
        return sift_fail(err, SIFT_ERR_NUMBER, base + (uint64_t)(id.ptr - rec.ptr),
                         "Event ID is not a number below 65536");
    ev->event_id = (uint32_t)v;
    ev->have |= SIFT_EVTEXT_HAS_EVENT_ID;
    return SIFT_OK;
}

/* ---- the format ------------------------------------------------------------ */

uint8_t sift_evtext_level(sift_slice name)
{
    static const struct {
        sift_slice name;
        uint8_t level;
    } levels[] = {
        { SIFT_LIT("Critical"), SIFT_LEVEL_CRITICAL }, { SIFT_LIT("Error"), SIFT_LEVEL_ERROR },
        { SIFT_LIT("Warning"), SIFT_LEVEL_WARNING },   { SIFT_LIT("Information"), SIFT_LEVEL_INFO },
        { SIFT_LIT("Verbose"), SIFT_LEVEL_VERBOSE },   { SIFT_LIT("重大"), SIFT_LEVEL_CRITICAL },
        { SIFT_LIT("エラー"), SIFT_LEVEL_ERROR },      { SIFT_LIT("警告"), SIFT_LEVEL_WARNING },
        { SIFT_LIT("情報"), SIFT_LEVEL_INFO },         { SIFT_LIT("詳細"), SIFT_LEVEL_VERBOSE },
    };
    name = sift_slice_trim(name);
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (sift_slice_eq_nocase(name, levels[i].name))
            return levels[i].level;
    return SIFT_LEVEL_NONE;
}

static int evtext_frame(sift_slice line)
{
    return sift_evtext_frame(line) != 0;
}

static sift_status evtext_decode(sift_slice rec, uint64_t base, sift_event *ev, sift_error *err)
{
    sift_evtext_rec r;
    sift_status st = sift_evtext_parse(rec, base, &r, err);
    *ev = (sift_event){ 0 };
    if (st != SIFT_OK)
        return st;
    ev->have = SIFT_EV_ID;
    ev->id = (uint16_t)r.event_id;
    ev->level = sift_evtext_level(r.level);
    ev->provider = r.source;
    ev->channel = r.log_name;
    ev->computer = r.computer;
    ev->time_text = r.date;
    if (r.date.len && sift_time_parse(r.date, &ev->time) != SIFT_OK)
        ev->time = (sift_when){ 0 };
    ev->message = r.description;
    sift_message_fields(ev);
    return SIFT_OK;
}

static const sift_line_ops evtext_line = { .frame = evtext_frame,
                                           .frame_lead = evtext_frame_lead,
                                           .decode = evtext_decode };

const sift_format sift_evtext_format = {
    "evtext",
    "Event Viewer \"Copy details as text\" and wevtutil /f:text records, English and Japanese",
    SIFT_PRODUCES_EVENTS,
    NULL,
    0,
    &evtext_line,
    NULL,
    NULL,
};
