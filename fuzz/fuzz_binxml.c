/* fuzz_binxml.c - sift_binxml on a fake chunk: the input's first two bytes
 * say where the record's BinXML starts (L); the rest of the input is the
 * chunk, bytes [0, L) standing for earlier records (names, templates) and
 * [L, end) for the record. Head, event and JSON must agree and stay inside
 * their bytes and buffers, and the JSON through the decoder's plans must be
 * the JSON of its tree, byte for byte. */
#include <string.h>

#include "fuzz.h"
#include "sift_binxml.h"

static _Alignas(16) uint8_t mem[8u << 20];
static uint8_t out[1u << 16];
static uint8_t planned[SIFT_BINXML_MAX_JSON], tree[SIFT_BINXML_MAX_JSON];

/* Brackets balance outside strings, and strings hold no raw control bytes. */
static int balanced(const uint8_t *p, size_t n)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_str) {
            if (p[i] < 0x20)
                return 0;
            if (p[i] == '\\')
                i++;
            else if (p[i] == '"')
                in_str = 0;
        } else if (p[i] == '"') {
            in_str = 1;
        } else if (p[i] == '{' || p[i] == '[') {
            depth++;
        } else if (p[i] == '}' || p[i] == ']') {
            if (depth-- == 0)
                return 0;
        }
    }
    return depth == 0 && !in_str;
}

static void same_as_tree(sift_binxml *bx, uint32_t off, uint32_t len)
{
    sift_error err = { SIFT_OK, 0, NULL };
    sift_out po = { planned, sizeof planned, 0 }, to = { tree, sizeof tree, 0 };
    const sift_status sp = sift_binxml_json(bx, off, len, &po, &err);
    sift_binxml_use_plans(bx, 0);
    const sift_status st = sift_binxml_json(bx, off, len, &to, &err);
    sift_binxml_use_plans(bx, 1);
    FUZZ_ASSERT(sp == st && po.pos == to.pos && memcmp(planned, tree, po.pos) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size - 2 > 65536)
        return 0;
    FUZZ_ASSERT(sift_binxml_size() <= sizeof mem);
    const uint8_t *chunk = data + 2;
    const uint32_t len = (uint32_t)(size - 2);
    uint32_t off = (uint32_t)(data[0] | data[1] << 8);
    if (off > len)
        off = len;
    sift_binxml *bx = sift_binxml_reset(mem, chunk, len);
    sift_error err = { SIFT_OK, 0, NULL };
    sift_binxml_head h;
    const sift_status sh = sift_binxml_head_read(bx, off, len - off, &h, &err);
    if (sh != SIFT_OK)
        FUZZ_ASSERT(sift_is_error(sh) && err.offset <= len);
    const sift_binxml_head hk = h;
    uint8_t prov[256];
    const size_t plen = hk.provider.len < sizeof prov ? hk.provider.len : sizeof prov;
    if (sh == SIFT_OK && plen)
        memcpy(prov, hk.provider.ptr, plen);
    sift_event ev;
    const sift_status se = sift_binxml_event(bx, off, len - off, &ev, &err);
    if (se != SIFT_OK) {
        FUZZ_ASSERT(sift_is_error(se) && err.offset <= len);
    } else {
        FUZZ_ASSERT(ev.n_data <= SIFT_EVENT_MAX_DATA);
        FUZZ_ASSERT(fuzz_inside(ev.binary.ptr, ev.binary.len, chunk, len));
        if (sh == SIFT_OK) {
            FUZZ_ASSERT(hk.id == ev.id && hk.qualifiers == ev.qualifiers);
            FUZZ_ASSERT(hk.have == (ev.have & (SIFT_EV_ID | SIFT_EV_QUALIFIERS)));
            FUZZ_ASSERT(hk.provider.len == ev.provider.len);
            FUZZ_ASSERT(plen == 0 || memcmp(prov, ev.provider.ptr, plen) == 0);
        }
    }
    /* JSON after a prefix the call must leave alone, into a buffer of a
     * size chosen by the input: full or not, nothing is written past it. */
    const size_t pre = 7;
    const size_t cap = pre + (size_t)(data[0] ^ data[size - 1]) * 64 + 16;
    memset(out, 0xAA, sizeof out);
    memset(out, 'p', pre);
    sift_out o = { out, cap < sizeof out ? cap : sizeof out, pre };
    const sift_status sj = sift_binxml_json(bx, off, len - off, &o, &err);
    FUZZ_ASSERT(o.pos <= o.size);
    for (size_t i = o.size; i < sizeof out; i++)
        FUZZ_ASSERT(out[i] == 0xAA);
    for (size_t i = 0; i < pre; i++)
        FUZZ_ASSERT(out[i] == 'p');
    if (sj == SIFT_OK)
        FUZZ_ASSERT(o.pos > pre && balanced(out + pre, o.pos - pre));
    else if (sj == SIFT_DST_FULL)
        FUZZ_ASSERT(o.pos == pre);
    else
        FUZZ_ASSERT(sift_is_error(sj) && o.pos == pre);

    /* The plan the call above may have recorded, run; then the tree alone.
     * And a second record, at an offset the last two bytes give, which may
     * be of the first one's shape and so run its plan. */
    same_as_tree(bx, off, len - off);
    uint32_t off2 = (uint32_t)(data[size - 2] | data[size - 1] << 8) % (len + 1);
    same_as_tree(bx, off2, len - off2);
    return 0;
}
