/* sift_fields.c - where each canonical field lives in EventData, per
 * provider and event id: the one table that maps named and positional Data
 * to the names rules use. Message layouts of text exports are the text
 * parsers' (parsers/sift_message.c); this table is for structured formats. */
#include "sift_event.h"

static const char *const fld_names[SIFT_FLD_COUNT] = {
    [SIFT_FLD_APP_NAME] = "application",
    [SIFT_FLD_APP_VERSION] = "application_version",
    [SIFT_FLD_MODULE_NAME] = "module",
    [SIFT_FLD_MODULE_VERSION] = "module_version",
    [SIFT_FLD_EXCEPTION_CODE] = "exception_code",
    [SIFT_FLD_UPTIME] = "uptime_s",
};

const char *sift_fld_name(sift_fld f)
{
    return (unsigned)f < SIFT_FLD_COUNT ? fld_names[f] : "unknown";
}

/* A field of one (provider, event id): the names it goes by in named Data,
 * and its index among unnamed Data (-1: never positional). Real .evtx files
 * from Windows 7 to 11 carry Application Error 1000 as 15 unnamed Data;
 * newer renderings name them (AppName, ...), and Winlogbeat may show
 * param1..paramN (1-based) for the same positions. */
typedef struct fld_place {
    const char *provider;
    uint16_t id;
    uint8_t fld;
    int8_t pos;
    const char *names[2];
} fld_place;

static const fld_place places[] = {
    { "Application Error", 1000, SIFT_FLD_APP_NAME, 0, { "AppName", "param1" } },
    { "Application Error", 1000, SIFT_FLD_APP_VERSION, 1, { "AppVersion", "param2" } },
    { "Application Error", 1000, SIFT_FLD_MODULE_NAME, 3, { "ModuleName", "param4" } },
    { "Application Error", 1000, SIFT_FLD_MODULE_VERSION, 4, { "ModuleVersion", "param5" } },
    { "Application Error", 1000, SIFT_FLD_EXCEPTION_CODE, 6, { "ExceptionCode", "param7" } },
    /* Seven unnamed Data; [4] is the uptime in seconds (B.2). */
    { "EventLog", 6013, SIFT_FLD_UPTIME, 4, { "param5", NULL } },
};

static int slice_is(sift_slice s, const char *z)
{
    return z && sift_slice_eq_nocase(s, sift_slice_make(z, strlen(z)));
}

void sift_event_resolve(sift_event *ev)
{
    if (!(ev->have & SIFT_EV_ID) || ev->n_data == 0)
        return;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        const fld_place *p = &places[i];
        if (p->id != ev->id || ev->fld[p->fld].len || !slice_is(ev->provider, p->provider))
            continue;
        size_t unnamed = 0;
        int found = 0;
        for (size_t d = 0; d < ev->n_data && !found; d++) {
            const sift_data *x = &ev->data[d];
            if (x->name.len == 0) {
                if (p->pos >= 0 && unnamed == (size_t)p->pos) {
                    ev->fld[p->fld] = x->value;
                    found = 1;
                }
                unnamed++;
            } else if (slice_is(x->name, p->names[0]) || slice_is(x->name, p->names[1])) {
                ev->fld[p->fld] = x->value;
                found = 1;
            }
        }
    }
}
