// Deflate (RFC 1951, optionally zlib-wrapped, RFC 1950) decoder for TIFF strips, compiled to WebAssembly by
// build/tools/make-kernels-wasm.ts. Written for Ramify; freestanding (no libc).
//
// Why a kernel of our own: in the browser the alternatives are fflate (pure JS, ~3× slower than zlib) or one
// DecompressionStream per strip (async overheads dominate for 64-row strips); in Node it is faster than zlib.
// Speed comes from a 64-bit bit buffer refilled 8 bytes at a time (one refill covers a whole length/distance
// pair), single-lookup decode tables (11 bits for literal/length, 9 for distance, with subtables beyond), and
// match copies 8 bytes at a time into an output buffer with slack.
//
// Interface: inflate(src, srcLen, dst, dstCap) decodes into dst (which must have 16 bytes of slack past dstCap)
// and returns the bytes written (stopping when dst is full, as libtiff does, or at the end of the input), or a
// negative error code. stats_* compute min/max/sum over decoded samples.

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char i8;
typedef short i16;
typedef long long i64;

#define LIT_BITS 11
#define DIST_BITS 9
#define MAX_LEN 15
// Entry layout (u32): bits 0-7 bits to consume; 8-11 kind; 12-15 extra bits (or subtable index bits); 16-31 value.
#define K_LIT 0
#define K_LEN 1
#define K_EOB 2
#define K_SUB 3
#define K_BAD 4
#define ENTRY(value, extra, kind, bits) (((u32)(value) << 16) | ((u32)(extra) << 12) | ((u32)(kind) << 8) | (u32)(bits))

#define E_DATA -1     // invalid code, block type or distance
#define E_TABLE -2    // invalid Huffman code lengths

static const u16 len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const u8 len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const u16 dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const u8 dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const u8 precode_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// Main tables plus room for subtables (each at most 2^(15 - bits) entries; a complete code has few of them).
static u32 lit_table[(1 << LIT_BITS) + (1 << 14)];
static u32 dist_table[(1 << DIST_BITS) + (1 << 12)];
static u32 pre_table[1 << 7];
static u8 lens[288 + 32];

static inline u64 load64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}
static inline void store64(u8 *p, u64 v) { __builtin_memcpy(p, &v, 8); }

static u32 reverse_bits(u32 code, u32 n) {
  u32 r = 0;
  for (u32 i = 0; i < n; i++) {
    r = (r << 1) | (code & 1);
    code >>= 1;
  }
  return r;
}

// The decoded entry of symbol `sym` (without its length) for the literal/length alphabet or the distance alphabet.
static u32 lit_entry(u32 sym) {
  if (sym < 256) return ENTRY(sym, 0, K_LIT, 0);
  if (sym == 256) return ENTRY(0, 0, K_EOB, 0);
  if (sym < 286) return ENTRY(len_base[sym - 257], len_extra[sym - 257], K_LEN, 0);
  return ENTRY(0, 0, K_BAD, 0);
}
static u32 dist_entry(u32 sym) { return sym < 30 ? ENTRY(dist_base[sym], dist_extra[sym], K_LEN, 0) : ENTRY(0, 0, K_BAD, 0); }
static u32 pre_entry(u32 sym) { return ENTRY(sym, 0, K_LIT, 0); }

// Builds a canonical Huffman decode table of `bits` index bits for `n` code lengths. Codes longer than `bits` go to
// subtables of 2^(max - bits) entries after the main table. Returns 0, or E_TABLE when the lengths over-subscribe.
// Incomplete codes are allowed (deflate's single distance code); unused entries decode as K_BAD.
static int build(u32 *table, u32 capacity, const u8 *lengths, u32 n, u32 bits, u32 (*entry)(u32)) {
  u32 count[MAX_LEN + 1] = {0};
  u32 next[MAX_LEN + 2];
  u16 sorted[288];
  for (u32 i = 0; i < n; i++) count[lengths[i]]++;
  count[0] = 0;
  int left = 1;
  u32 max = 0;
  for (u32 l = 1; l <= MAX_LEN; l++) {
    left = (left << 1) - (int)count[l];
    if (left < 0) return E_TABLE;
    if (count[l]) max = l;
  }
  next[1] = 0;
  for (u32 l = 1; l <= MAX_LEN; l++) next[l + 1] = next[l] + count[l];
  for (u32 i = 0; i < n; i++)
    if (lengths[i]) sorted[next[lengths[i]]++] = (u16)i;
  u32 size = 1u << bits;
  u32 sub_bits = max > bits ? max - bits : 0;
  for (u32 i = 0; i < size; i++) table[i] = ENTRY(0, 0, K_BAD, 0);
  u32 used = size;
  u32 code = 0;
  u32 k = 0;
  u32 cur_prefix = 0xffffffff;
  u32 cur_sub = 0;
  for (u32 l = 1; l <= MAX_LEN; l++) {
    for (u32 c = 0; c < count[l]; c++, k++) {
      u32 sym = sorted[k];
      u32 rev = reverse_bits(code, l);
      u32 e = entry(sym);
      if (l <= bits) {
        for (u32 i = rev; i < size; i += 1u << l) table[i] = e | l;
      } else {
        u32 prefix = rev & (size - 1);
        if (prefix != cur_prefix) {
          // Codes are assigned in increasing order, so all codes sharing a prefix arrive together.
          cur_prefix = prefix;
          cur_sub = used;
          used += 1u << sub_bits;
          if (used > capacity) return E_TABLE;
          for (u32 i = cur_sub; i < used; i++) table[i] = ENTRY(0, 0, K_BAD, 0);
          table[prefix] = ENTRY(cur_sub, sub_bits, K_SUB, bits);
        }
        for (u32 i = rev >> bits; i < (1u << sub_bits); i += 1u << (l - bits)) table[cur_sub + i] = e | (l - bits);
      }
      code++;
    }
    code <<= 1;
  }
  return 0;
}

static int fixed_built = 0;
static u32 fixed_lit[(1 << LIT_BITS) + (1 << 14)];
static u32 fixed_dist[(1 << DIST_BITS) + (1 << 12)];

static void build_fixed(void) {
  for (int i = 0; i < 144; i++) lens[i] = 8;
  for (int i = 144; i < 256; i++) lens[i] = 9;
  for (int i = 256; i < 280; i++) lens[i] = 7;
  for (int i = 280; i < 288; i++) lens[i] = 8;
  build(fixed_lit, sizeof fixed_lit / 4, lens, 288, LIT_BITS, lit_entry);
  for (int i = 0; i < 32; i++) lens[i] = 5;
  build(fixed_dist, sizeof fixed_dist / 4, lens, 32, DIST_BITS, dist_entry);
  fixed_built = 1;
}

// Bit reader state. Past the end of the input, zero bytes are fed and counted in `overrun`: a stream that needs
// them is truncated.
typedef struct {
  const u8 *in;
  const u8 *end;
  u64 buf;
  u32 cnt;
  u32 overrun;
} Bits;

static inline void refill(Bits *b) {
  if (b->end - b->in >= 8) {
    b->buf |= load64(b->in) << b->cnt;
    b->in += (63 - b->cnt) >> 3;
    b->cnt |= 56;
  } else {
    while (b->cnt <= 56) {
      if (b->in < b->end) b->buf |= (u64)(*b->in++) << b->cnt;
      else b->overrun++;
      b->cnt += 8;
    }
  }
}
static inline u32 take(Bits *b, u32 n) {
  u32 v = (u32)(b->buf & ((1ull << n) - 1));
  b->buf >>= n;
  b->cnt -= n;
  return v;
}
// Zero bits fed past the end sit above the real ones; once fewer bits remain than were fed, some were consumed and
// the stream is cut short.
#define TRUNCATED(b) ((b)->overrun * 8 > (b)->cnt)

static inline u32 decode(Bits *b, const u32 *table, u32 bits) {
  u32 e = table[b->buf & ((1u << bits) - 1)];
  if (((e >> 8) & 15) == K_SUB) {
    b->buf >>= bits;
    b->cnt -= bits;
    e = table[(e >> 16) + (u32)(b->buf & ((1u << ((e >> 12) & 15)) - 1))];
  }
  b->buf >>= e & 0xff;
  b->cnt -= e & 0xff;
  return e;
}

static int read_dynamic(Bits *b) {
  refill(b);
  u32 nlit = take(b, 5) + 257;
  u32 ndist = take(b, 5) + 1;
  u32 npre = take(b, 4) + 4;
  if (nlit > 286 || ndist > 30) return E_TABLE;
  u8 pre_lens[19] = {0};
  for (u32 i = 0; i < npre; i++) {
    refill(b);
    pre_lens[precode_order[i]] = (u8)take(b, 3);
  }
  if (TRUNCATED(b)) return E_DATA;
  if (build(pre_table, 1 << 7, pre_lens, 19, 7, pre_entry)) return E_TABLE;
  u32 i = 0;
  while (i < nlit + ndist) {
    refill(b);
    u32 e = decode(b, pre_table, 7);
    if (TRUNCATED(b)) return E_DATA;
    if (((e >> 8) & 15) != K_LIT) return E_TABLE;
    u32 sym = e >> 16;
    if (sym < 16) {
      lens[i++] = (u8)sym;
      continue;
    }
    u32 rep;
    u8 v = 0;
    if (sym == 16) {
      if (i == 0) return E_TABLE;
      v = lens[i - 1];
      rep = 3 + take(b, 2);
    } else if (sym == 17) {
      rep = 3 + take(b, 3);
    } else {
      rep = 11 + take(b, 7);
    }
    if (i + rep > nlit + ndist) return E_TABLE;
    while (rep--) lens[i++] = v;
  }
  if (lens[256] == 0) return E_TABLE;
  if (build(lit_table, sizeof lit_table / 4, lens, nlit, LIT_BITS, lit_entry)) return E_TABLE;
  if (build(dist_table, sizeof dist_table / 4, lens + nlit, ndist, DIST_BITS, dist_entry)) return E_TABLE;
  return 0;
}

// Copies a match of `len` bytes from `dist` back. Up to 15 bytes past out + len may be overwritten (slack).
static inline void copy_match(u8 *out, u32 dist, u32 len) {
  const u8 *from = out - dist;
  if (dist >= 8) {
    u8 *end = out + len;
    do {
      store64(out, load64(from));
      out += 8;
      from += 8;
    } while (out < end);
  } else if (dist == 1) {
    u64 v = from[0] * 0x0101010101010101ull;
    u8 *end = out + len;
    do {
      store64(out, v);
      out += 8;
    } while (out < end);
  } else {
    for (u32 i = 0; i < len; i++) out[i] = from[i];
  }
}

int inflate(const u8 *src, u32 src_len, u8 *dst, u32 cap) {
  Bits b = {src, src + src_len, 0, 0, 0};
  // A zlib header: CM = 8 and the check bits; otherwise raw deflate (a few writers omit the wrapper).
  if (src_len >= 2 && (src[0] & 0x0f) == 8 && ((src[0] << 8) | src[1]) % 31 == 0) {
    if (src[1] & 0x20) return E_DATA;  // a preset dictionary: never used by TIFF writers
    b.in += 2;
  }
  u8 *out = dst;
  u8 *out_end = dst + cap;
  int final = 0;
  while (!final && out < out_end) {
    refill(&b);
    final = (int)take(&b, 1);
    u32 type = take(&b, 2);
    if (TRUNCATED(&b)) break;
    if (type == 0) {
      // Stored: byte-align, LEN and NLEN, then raw bytes. Give back whole unread bytes from the bit buffer first.
      take(&b, b.cnt & 7);
      u32 have = b.cnt >> 3;
      if (b.overrun > have) break;
      b.in -= have - b.overrun;
      b.buf = 0;
      b.cnt = 0;
      b.overrun = 0;
      if (b.end - b.in < 4) break;
      u32 len = b.in[0] | (b.in[1] << 8);
      u32 nlen = b.in[2] | (b.in[3] << 8);
      if ((len ^ 0xffff) != nlen) return E_DATA;
      b.in += 4;
      u32 avail = (u32)(b.end - b.in);
      u32 room = (u32)(out_end - out);
      u32 n = len < avail ? len : avail;
      if (n > room) n = room;
      __builtin_memcpy(out, b.in, n);
      out += n;
      b.in += n;
      if (n < len) break;  // out of input or output
      continue;
    }
    const u32 *lt;
    const u32 *dt;
    if (type == 1) {
      if (!fixed_built) build_fixed();
      lt = fixed_lit;
      dt = fixed_dist;
    } else if (type == 2) {
      int r = read_dynamic(&b);
      if (r) return TRUNCATED(&b) ? (int)(out - dst) : r;
      lt = lit_table;
      dt = dist_table;
    } else {
      return E_DATA;
    }
    for (;;) {
      // Fast path: input for a whole length/distance pair and room for the longest match plus slack.
      if (b.end - b.in >= 16 && out_end - out >= 258 + 16) {
        refill(&b);
        u32 e = decode(&b, lt, LIT_BITS);
        u32 kind = (e >> 8) & 15;
        if (kind == K_LIT) {
          *out++ = (u8)(e >> 16);
          // 56 - 15 bits remain after one literal, 56 - 30 after two: up to three literals need no refill.
          e = decode(&b, lt, LIT_BITS);
          kind = (e >> 8) & 15;
          if (kind == K_LIT) {
            *out++ = (u8)(e >> 16);
            e = decode(&b, lt, LIT_BITS);
            kind = (e >> 8) & 15;
            if (kind == K_LIT) {
              *out++ = (u8)(e >> 16);
              continue;
            }
          }
        }
        if (kind == K_LEN) {
          if (b.cnt < 33) refill(&b);
          u32 len = (e >> 16) + take(&b, (e >> 12) & 15);
          u32 d = decode(&b, dt, DIST_BITS);
          if (((d >> 8) & 15) != K_LEN) return E_DATA;
          u32 dist = (d >> 16) + take(&b, (d >> 12) & 15);
          if (dist > (u32)(out - dst)) return E_DATA;
          copy_match(out, dist, len);
          out += len;
          continue;
        }
        if (kind == K_EOB) break;
        return E_DATA;
      }
      // Careful path near the ends of input and output.
      refill(&b);
      u32 e = decode(&b, lt, LIT_BITS);
      if (TRUNCATED(&b)) goto done;
      u32 kind = (e >> 8) & 15;
      if (kind == K_LIT) {
        if (out == out_end) goto done;
        *out++ = (u8)(e >> 16);
        continue;
      }
      if (kind == K_EOB) break;
      if (kind != K_LEN) return E_DATA;
      refill(&b);
      u32 len = (e >> 16) + take(&b, (e >> 12) & 15);
      u32 d = decode(&b, dt, DIST_BITS);
      if (((d >> 8) & 15) != K_LEN) return E_DATA;
      u32 dist = (d >> 16) + take(&b, (d >> 12) & 15);
      if (TRUNCATED(&b)) goto done;
      if (dist > (u32)(out - dst)) return E_DATA;
      u32 room = (u32)(out_end - out);
      if (len > room) len = room;
      for (u32 i = 0; i < len; i++) out[i] = out[i - dist];
      out += len;
      if (out == out_end) goto done;
    }
  }
done:
  return (int)(out - dst);
}

// min, max and sum of n samples; results in out[0..2] as doubles (sums of ≤16-bit samples stay exact).
// Sums run in 32 bits over 4096 samples at a time (4096 · 65535 < 2^32), which vectorises well.
#define STATS(name, T, ACC)                                 \
  void name(const T *p, u32 n, double *out) {               \
    T lo = p[0], hi = p[0];                                  \
    i64 sum = 0;                                             \
    u32 i = 0;                                               \
    for (; i + 4096 <= n; i += 4096) {                       \
      ACC part = 0;                                          \
      for (u32 j = i; j < i + 4096; j++) {                   \
        T v = p[j];                                          \
        lo = v < lo ? v : lo;                                \
        hi = v > hi ? v : hi;                                \
        part += v;                                           \
      }                                                      \
      sum += part;                                           \
    }                                                        \
    for (; i < n; i++) {                                     \
      T v = p[i];                                            \
      lo = v < lo ? v : lo;                                  \
      hi = v > hi ? v : hi;                                  \
      sum += v;                                              \
    }                                                        \
    out[0] = lo;                                             \
    out[1] = hi;                                             \
    out[2] = (double)sum;                                    \
  }
STATS(stats_u8, u8, u32)
STATS(stats_i8, i8, int)
STATS(stats_u16, u16, u32)
STATS(stats_i16, i16, int)
