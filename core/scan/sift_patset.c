/* sift_patset.c - formats' patterns and rules' needles, in one list. */
#include "sift_patset.h"

#include <stdlib.h>

sift_status sift_patset_build(const sift_format *const *formats, size_t n_formats, sift_patset *ps)
{
    *ps = (sift_patset){ 0 };
    if (n_formats > UINT16_MAX)
        return SIFT_ERR_LIMIT;
    size_t n = 0, needles = 0;
    for (size_t f = 0; f < n_formats; f++)
        if (formats[f]->line)
            n += formats[f]->n_patterns;
    for (size_t r = 0; r < sift_rule_count; r++)
        needles += sift_rules[r].needs.n_needles;
    if (needles > SIFT_MAX_NEEDLES)
        return SIFT_ERR_LIMIT;
    n += needles;
    ps->pats = calloc(n ? n : 1, sizeof *ps->pats);
    ps->meta = calloc(n ? n : 1, sizeof *ps->meta);
    if (!ps->pats || !ps->meta) {
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
    uint16_t bit = 0;
    for (size_t r = 0; r < sift_rule_count; r++) {
        for (size_t i = 0; i < sift_rules[r].needs.n_needles; i++, bit++) {
            const sift_pattern *p = &sift_rules[r].needs.needles[i];
            ps->pats[ps->n] = *p;
            ps->meta[ps->n++] = (sift_patmeta){ SIFT_ROLE_NEEDLE, p->lead, bit };
            ps->rule_needles[r] |= 1u << bit;
        }
    }
    return SIFT_OK;
}

void sift_patset_free(sift_patset *ps)
{
    free(ps->pats);
    free(ps->meta);
    *ps = (sift_patset){ 0 };
}
