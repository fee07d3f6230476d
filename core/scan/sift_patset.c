/* sift_patset.c - formats' patterns and rules' triggers, in one list. */
#include "sift_patset.h"

#include <stdio.h>
#include <stdlib.h>

sift_status sift_patset_build(const sift_format *const *formats, size_t n_formats, sift_patset *ps)
{
    *ps = (sift_patset){ 0 };
    if (n_formats > UINT16_MAX)
        return SIFT_ERR_LIMIT;
    size_t n = 0, ids = 0;
    for (size_t f = 0; f < n_formats; f++)
        if (formats[f]->line)
            n += formats[f]->n_patterns;
    for (size_t r = 0; r < sift_rule_count; r++) {
        const sift_rule_needs *nd = &sift_rules[r].needs;
        if (!sift_rules[r].verify || sift_rules[r].part_of)
            continue; /* companions ride on the triggers of their rule */
        n += nd->n_triggers ? nd->n_triggers : nd->n_ids;
        ids += nd->n_triggers ? 0 : nd->n_ids;
    }
    ps->pats = calloc(n ? n : 1, sizeof *ps->pats);
    ps->meta = calloc(n ? n : 1, sizeof *ps->meta);
    ps->ids = calloc(ids ? ids : 1, sizeof *ps->ids);
    if (!ps->pats || !ps->meta || !ps->ids) {
        sift_patset_free(ps);
        return SIFT_ERR_NOMEM;
    }
    for (size_t f = 0; f < n_formats; f++) {
        if (!formats[f]->line)
            continue;
        for (size_t i = 0; i < formats[f]->n_patterns; i++) {
            const sift_pattern *p = &formats[f]->patterns[i];
            ps->pats[ps->n] = *p;
            ps->meta[ps->n++] = (sift_patmeta){ p->role, p->lead, (uint16_t)f };
        }
    }
    size_t k = 0;
    for (size_t r = 0; r < sift_rule_count; r++) {
        const sift_rule_needs *nd = &sift_rules[r].needs;
        if (!sift_rules[r].verify || sift_rules[r].part_of)
            continue; /* companions ride on the triggers of their rule */
        for (size_t i = 0; i < nd->n_triggers; i++) {
            ps->pats[ps->n] = nd->triggers[i];
            ps->meta[ps->n++] = (sift_patmeta){ SIFT_ROLE_TRIGGER, nd->triggers[i].lead, (uint16_t)r };
        }
        /* Without strings of its own, a rule's records are found by their
         * event id: rare enough in text, and verified by the record. */
        for (size_t i = 0; !nd->n_triggers && i < nd->n_ids; i++, k++) {
            snprintf(ps->ids[k], sizeof ps->ids[k], "%u", (unsigned)nd->ids[i]);
            ps->pats[ps->n] = (sift_pattern){ ps->ids[k], 0, SIFT_ROLE_TRIGGER, 0, { 0 } };
            ps->meta[ps->n++] = (sift_patmeta){ SIFT_ROLE_TRIGGER, 0, (uint16_t)r };
        }
    }
    return SIFT_OK;
}

void sift_patset_free(sift_patset *ps)
{
    free(ps->pats);
    free(ps->meta);
    free(ps->ids);
    *ps = (sift_patset){ 0 };
}
