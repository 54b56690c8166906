;; TIFF LZW decoding kernel (MSB-first codes, 9–12 bits, early change), the WebAssembly twin of lzwDecodeJs in
;; shared/formats/tiff/lzw-decode.ts. Compiled by build/tools/make-lzw-wasm.ts into
;; shared/formats/tiff/lzw-wasm-binary.ts.
;;
;; Memory layout (byte addresses), set up by shared/formats/tiff/lzw-wasm.ts:
;;   0      .. 16384   entry start addresses (i32 × 4096), absolute addresses into the scratch area
;;   16384  .. 32768   entry lengths (i32 × 4096)
;;   $w     .. $w+256  the 256 single-byte strings (written here on every call)
;;   $w+256 .. +cap    decoded output, followed by ≥ 8 bytes of slack for the fixed 8-byte copies
;;   $src   .. +n      compressed input
;; Returns the number of output bytes (≥ 0), or -1 - (code | next << 13) for a code that is not in the table.
(module
  (memory (export "memory") 1)
  (func (export "decode") (param $src i32) (param $n i32) (param $w i32) (param $cap i32) (result i32)
    (local $ip i32) (local $srcEnd i32) (local $bitBuf i32) (local $bits i32) (local $width i32) (local $mask i32)
    (local $next i32) (local $pos i32) (local $out i32) (local $end i32) (local $prevStart i32) (local $prevLen i32)
    (local $code i32) (local $s i32) (local $len i32) (local $k i32) (local $kwk i32)
    (loop $init
      (i32.store8 (i32.add (local.get $w) (local.get $k)) (local.get $k))
      (i32.store (i32.shl (local.get $k) (i32.const 2)) (i32.add (local.get $w) (local.get $k)))
      (i32.store offset=16384 (i32.shl (local.get $k) (i32.const 2)) (i32.const 1))
      (br_if $init (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 256))))
    (local.set $ip (local.get $src))
    (local.set $srcEnd (i32.add (local.get $src) (local.get $n)))
    (local.set $width (i32.const 9))
    (local.set $mask (i32.const 511))
    (local.set $next (i32.const 258))
    (local.set $out (i32.add (local.get $w) (i32.const 256)))
    (local.set $pos (local.get $out))
    (local.set $end (i32.add (local.get $out) (local.get $cap)))
    (local.set $prevStart (i32.const -1))
    (block $done
      (loop $main
        ;; Refill 16 bits at a time: at most 11 bits remain, so 27 live bits fit (higher bits are never read).
        (if (i32.lt_u (local.get $bits) (local.get $width))
          (then
            (if (i32.lt_u (i32.add (local.get $ip) (i32.const 1)) (local.get $srcEnd))
              (then
                (local.set $bitBuf
                  (i32.or
                    (i32.or (i32.shl (local.get $bitBuf) (i32.const 16))
                            (i32.shl (i32.load8_u (local.get $ip)) (i32.const 8)))
                    (i32.load8_u offset=1 (local.get $ip))))
                (local.set $ip (i32.add (local.get $ip) (i32.const 2)))
                (local.set $bits (i32.add (local.get $bits) (i32.const 16))))
              (else
                (block $filled
                  (loop $tail
                    (br_if $filled (i32.ge_u (local.get $bits) (local.get $width)))
                    (br_if $filled (i32.ge_u (local.get $ip) (local.get $srcEnd)))
                    (local.set $bitBuf (i32.or (i32.shl (local.get $bitBuf) (i32.const 8)) (i32.load8_u (local.get $ip))))
                    (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
                    (local.set $bits (i32.add (local.get $bits) (i32.const 8)))
                    (br $tail)))
                ;; Out of data without EndOfInformation: keep what we have.
                (br_if $done (i32.lt_u (local.get $bits) (local.get $width)))))))
        (local.set $bits (i32.sub (local.get $bits) (local.get $width)))
        (local.set $code (i32.and (i32.shr_u (local.get $bitBuf) (local.get $bits)) (local.get $mask)))
        (local.set $kwk (i32.const 0))
        (block $have
          ;; Literals and table strings (code - 258 wraps to a huge unsigned number for 256 and 257).
          (if (i32.or (i32.lt_u (local.get $code) (i32.const 256))
                      (i32.lt_u (i32.sub (local.get $code) (i32.const 258)) (i32.sub (local.get $next) (i32.const 258))))
            (then
              (local.set $s (i32.load (i32.shl (local.get $code) (i32.const 2))))
              (local.set $len (i32.load offset=16384 (i32.shl (local.get $code) (i32.const 2))))
              (br $have)))
          (if (i32.eq (local.get $code) (i32.const 256))
            (then
              (local.set $next (i32.const 258))
              (local.set $width (i32.const 9))
              (local.set $mask (i32.const 511))
              (local.set $prevStart (i32.const -1))
              (br $main)))
          (br_if $done (i32.eq (local.get $code) (i32.const 257)))
          (if (i32.and (i32.eq (local.get $code) (local.get $next)) (i32.ge_s (local.get $prevStart) (i32.const 0)))
            (then
              ;; KwKwK: previous string plus its first byte.
              (local.set $s (local.get $prevStart))
              (local.set $len (i32.add (local.get $prevLen) (i32.const 1)))
              (local.set $kwk (i32.const 1))
              (br $have)))
          (return (i32.sub (i32.const -1) (i32.or (local.get $code) (i32.shl (local.get $next) (i32.const 13))))))
        (if (i32.gt_u (i32.add (local.get $pos) (local.get $len)) (local.get $end))
          (then
            ;; Output full: forward byte copy (correct for KwKwK, whose last byte reads one just written).
            (block $full
              (loop $bytes
                (br_if $full (i32.ge_u (local.get $pos) (local.get $end)))
                (i32.store8 (local.get $pos) (i32.load8_u (local.get $s)))
                (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $bytes)))
            (br $done)))
        ;; Copy 8 bytes unconditionally, then 8 at a time. All source bytes a string needs lie before $pos (for
        ;; KwKwK all but the last, which is its first byte and is stored afterwards); bytes copied past the
        ;; string's end are overwritten by the next string or lie in the slack.
        (i64.store (local.get $pos) (i64.load (local.get $s)))
        (local.set $k (i32.const 8))
        (block $copied
          (loop $chunks
            (br_if $copied (i32.ge_u (local.get $k) (i32.sub (local.get $len) (local.get $kwk))))
            (i64.store (i32.add (local.get $pos) (local.get $k)) (i64.load (i32.add (local.get $s) (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $chunks)))
        (if (local.get $kwk)
          (then (i32.store8 (i32.add (local.get $pos) (local.get $prevLen)) (i32.load8_u (local.get $s)))))
        (if (i32.and (i32.ge_s (local.get $prevStart) (i32.const 0)) (i32.lt_u (local.get $next) (i32.const 4096)))
          (then
            (i32.store (i32.shl (local.get $next) (i32.const 2)) (local.get $prevStart))
            (i32.store offset=16384 (i32.shl (local.get $next) (i32.const 2)) (i32.add (local.get $prevLen) (i32.const 1)))
            (local.set $next (i32.add (local.get $next) (i32.const 1)))
            ;; Early change: the width grows one entry before the table reaches the next power of two.
            (if (i32.and (i32.ge_u (local.get $next) (local.get $mask)) (i32.lt_u (local.get $width) (i32.const 12)))
              (then
                (local.set $width (i32.add (local.get $width) (i32.const 1)))
                (local.set $mask (i32.or (i32.shl (local.get $mask) (i32.const 1)) (i32.const 1)))))))
        (local.set $prevStart (local.get $pos))
        (local.set $prevLen (local.get $len))
        (local.set $pos (i32.add (local.get $pos) (local.get $len)))
        (br $main)))
    (i32.sub (local.get $pos) (local.get $out))))
