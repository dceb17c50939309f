//! How CPython 3.11's codecs differ from the WHATWG decoders in encoding_rs.
//!
//! A coding cookie names a *Python* codec, and Python's codecs are not the
//! WHATWG ones that encoding_rs implements: WHATWG maps bytes that Python
//! leaves undefined (cp1252's 0x81, shift_jis's NEC and IBM rows, ...) and a
//! few characters differently (shift_jis 0x8160 is WAVE DASH for Python,
//! FULLWIDTH TILDE for WHATWG). Each table below corrects one encoding_rs
//! decoder into one Python codec, character by character:
//!
//! - `classes[b - 0x80]` says how long a character starting with byte `b` is,
//!   as Python's codec sees it: `0` never valid, `1` a single byte, `2` a
//!   lead byte of two, `3` of three (EUC-JP 0x8F), `4` of two or, when the
//!   next byte is an ASCII digit, four (GB18030). Bytes below 0x80 are ASCII
//!   in every codec listed here.
//! - `reject` holds inclusive ranges of characters (their bytes read as a
//!   big-endian number) that encoding_rs decodes and Python refuses.
//! - `remap` holds characters Python decodes to something other than what
//!   encoding_rs gives (or decodes where encoding_rs refuses).
//!
//! The tables were derived by decoding every one-, two- and three-byte
//! character (and every four-byte GB18030 character) with both CPython
//! 3.11.7's codecs and encoding_rs 0.8.44 and recording the differences; the
//! integration test `python_static_read` repeats that comparison against the
//! interpreter in `FLIT_TEST_PYTHON`, so a table that drifts fails loudly.

/// One Python codec expressed as an encoding_rs decoder plus corrections.
pub(super) struct ByteTable {
    /// The WHATWG decoder that agrees with Python on every other character.
    pub encoding: &'static encoding_rs::Encoding,
    /// The length class of each byte from 0x80 to 0xFF (see the module docs).
    pub classes: &'static [u8; 128],
    /// Sorted, disjoint, inclusive ranges of characters Python refuses.
    pub reject: &'static [(u32, u32)],
    /// Sorted characters Python decodes differently, with Python's value.
    pub remap: &'static [(u32, &'static str)],
}

/// Python's `cp1250` codec: encoding_rs `windows-1250` corrected to CPython 3.11.
pub(super) static CP1250: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1250_INIT,
    classes: b"10101111011111110111111101111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1251` codec: encoding_rs `windows-1251` corrected to CPython 3.11.
pub(super) static CP1251: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1251_INIT,
    classes: b"11111111111111111111111101111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1252` codec: encoding_rs `windows-1252` corrected to CPython 3.11.
pub(super) static CP1252: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1252_INIT,
    classes: b"10111111111110100111111111111011111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1253` codec: encoding_rs `windows-1253` corrected to CPython 3.11.
pub(super) static CP1253: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1253_INIT,
    classes: b"10111111010100000111111101010000111111111101111111111111111111111111111111111111110111111111111111111111111111111111111111111110",
    reject: &[],
    remap: &[],
};

/// Python's `cp1254` codec: encoding_rs `windows-1254` corrected to CPython 3.11.
pub(super) static CP1254: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1254_INIT,
    classes: b"10111111111110000111111111111001111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1255` codec: encoding_rs `windows-1255` corrected to CPython 3.11.
pub(super) static CP1255: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1255_INIT,
    classes: b"10111111110100000111111111010000111111111111111111111111111111111111111111011111111111111000000011111111111111111111111111100110",
    reject: &[],
    remap: &[],
};

/// Python's `cp1256` codec: encoding_rs `windows-1256` corrected to CPython 3.11.
pub(super) static CP1256: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1256_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1257` codec: encoding_rs `windows-1257` corrected to CPython 3.11.
pub(super) static CP1257: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1257_INIT,
    classes: b"10101111010101110111111101010110101110111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp1258` codec: encoding_rs `windows-1258` corrected to CPython 3.11.
pub(super) static CP1258: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1258_INIT,
    classes: b"10111111110110000111111111011001111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `cp874` codec: encoding_rs `windows-874` corrected to CPython 3.11.
pub(super) static CP874: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_874_INIT,
    classes: b"10000100000000000111111100000000111111111111111111111111111111111111111111111111111111111110000111111111111111111111111111110000",
    reject: &[],
    remap: &[],
};

/// Python's `cp866` codec: encoding_rs `ibm866` corrected to CPython 3.11.
pub(super) static CP866: ByteTable = ByteTable {
    encoding: &encoding_rs::IBM866_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_2` codec: encoding_rs `iso-8859-2` corrected to CPython 3.11.
pub(super) static ISO8859_2: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_2_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_3` codec: encoding_rs `iso-8859-3` corrected to CPython 3.11.
pub(super) static ISO8859_3: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_3_INIT,
    classes: b"11111111111111111111111111111111111110111111110111111111111111011110111111111111011111111111111111101111111111110111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_4` codec: encoding_rs `iso-8859-4` corrected to CPython 3.11.
pub(super) static ISO8859_4: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_4_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_5` codec: encoding_rs `iso-8859-5` corrected to CPython 3.11.
pub(super) static ISO8859_5: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_5_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_6` codec: encoding_rs `iso-8859-6` corrected to CPython 3.11.
pub(super) static ISO8859_6: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_6_INIT,
    classes: b"11111111111111111111111111111111100010000000110000000000000100010111111111111111111111111110000011111111111111111110000000000000",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_7` codec: encoding_rs `iso-8859-7` corrected to CPython 3.11.
pub(super) static ISO8859_7: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_7_INIT,
    classes: b"11111111111111111111111111111111111111111111110111111111111111111111111111111111110111111111111111111111111111111111111111111110",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_8` codec: encoding_rs `iso-8859-8` corrected to CPython 3.11.
pub(super) static ISO8859_8: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_8_INIT,
    classes: b"11111111111111111111111111111111101111111111111111111111111111100000000000000000000000000000000111111111111111111111111111100110",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_9` codec: encoding_rs `windows-1254` corrected to CPython 3.11.
pub(super) static ISO8859_9: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_1254_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[
        (0x80, "\u{80}"), (0x82, "\u{82}"), (0x83, "\u{83}"), (0x84, "\u{84}"),
        (0x85, "\u{85}"), (0x86, "\u{86}"), (0x87, "\u{87}"), (0x88, "\u{88}"),
        (0x89, "\u{89}"), (0x8A, "\u{8a}"), (0x8B, "\u{8b}"), (0x8C, "\u{8c}"),
        (0x91, "\u{91}"), (0x92, "\u{92}"), (0x93, "\u{93}"), (0x94, "\u{94}"),
        (0x95, "\u{95}"), (0x96, "\u{96}"), (0x97, "\u{97}"), (0x98, "\u{98}"),
        (0x99, "\u{99}"), (0x9A, "\u{9a}"), (0x9B, "\u{9b}"), (0x9C, "\u{9c}"),
        (0x9F, "\u{9f}"),
    ],
};

/// Python's `iso8859_10` codec: encoding_rs `iso-8859-10` corrected to CPython 3.11.
pub(super) static ISO8859_10: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_10_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_11` codec: encoding_rs `windows-874` corrected to CPython 3.11.
pub(super) static ISO8859_11: ByteTable = ByteTable {
    encoding: &encoding_rs::WINDOWS_874_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111110000111111111111111111111111111110000",
    reject: &[],
    remap: &[
        (0x80, "\u{80}"), (0x85, "\u{85}"), (0x91, "\u{91}"), (0x92, "\u{92}"),
        (0x93, "\u{93}"), (0x94, "\u{94}"), (0x95, "\u{95}"), (0x96, "\u{96}"),
        (0x97, "\u{97}"),
    ],
};

/// Python's `iso8859_13` codec: encoding_rs `iso-8859-13` corrected to CPython 3.11.
pub(super) static ISO8859_13: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_13_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_14` codec: encoding_rs `iso-8859-14` corrected to CPython 3.11.
pub(super) static ISO8859_14: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_14_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_15` codec: encoding_rs `iso-8859-15` corrected to CPython 3.11.
pub(super) static ISO8859_15: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_15_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `iso8859_16` codec: encoding_rs `iso-8859-16` corrected to CPython 3.11.
pub(super) static ISO8859_16: ByteTable = ByteTable {
    encoding: &encoding_rs::ISO_8859_16_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `koi8_r` codec: encoding_rs `koi8-r` corrected to CPython 3.11.
pub(super) static KOI8_R: ByteTable = ByteTable {
    encoding: &encoding_rs::KOI8_R_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `koi8_u` codec: encoding_rs `koi8-u` corrected to CPython 3.11.
pub(super) static KOI8_U: ByteTable = ByteTable {
    encoding: &encoding_rs::KOI8_U_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[
        (0xAE, "\u{255d}"), (0xBE, "\u{256c}"),
    ],
};

/// Python's `mac_roman` codec: encoding_rs `macintosh` corrected to CPython 3.11.
pub(super) static MAC_ROMAN: ByteTable = ByteTable {
    encoding: &encoding_rs::MACINTOSH_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `mac_cyrillic` codec: encoding_rs `x-mac-cyrillic` corrected to CPython 3.11.
pub(super) static MAC_CYRILLIC: ByteTable = ByteTable {
    encoding: &encoding_rs::X_MAC_CYRILLIC_INIT,
    classes: b"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
    reject: &[],
    remap: &[],
};

/// Python's `shift_jis` codec: encoding_rs `shift_jis` corrected to CPython 3.11.
pub(super) static SHIFT_JIS: ByteTable = ByteTable {
    encoding: &encoding_rs::SHIFT_JIS_INIT,
    classes: b"02222000222222222222222222222222011111111111111111111111111111111111111111111111111111111111111122222222222000000000000000000000",
    reject: &[],
    remap: &[
        (0x8160, "\u{301c}"), (0x8161, "\u{2016}"), (0x817C, "\u{2212}"), (0x8191, "\u{a2}"),
        (0x8192, "\u{a3}"), (0x81CA, "\u{ac}"),
    ],
};

/// Python's `cp932` codec: encoding_rs `shift_jis` corrected to CPython 3.11.
pub(super) static CP932: ByteTable = ByteTable {
    encoding: &encoding_rs::SHIFT_JIS_INIT,
    classes: b"12222002222222222222222222222222111111111111111111111111111111111111111111111111111111111111111122222222222002202222222222222111",
    reject: &[],
    remap: &[
        (0xA0, "\u{f8f0}"), (0xFD, "\u{f8f1}"), (0xFE, "\u{f8f2}"), (0xFF, "\u{f8f3}"),
    ],
};

/// Python's `euc_jp` codec: encoding_rs `euc-jp` corrected to CPython 3.11.
pub(super) static EUC_JP: ByteTable = ByteTable {
    encoding: &encoding_rs::EUC_JP_INIT,
    classes: b"00000000000000230000000000000000022222222000000022222222222222222222222222222222222222222222222222222222222222222222200000000000",
    reject: &[],
    remap: &[
        (0xA1C1, "\u{301c}"), (0xA1C2, "\u{2016}"), (0xA1DD, "\u{2212}"), (0xA1F1, "\u{a2}"),
        (0xA1F2, "\u{a3}"), (0xA2CC, "\u{ac}"), (0x8FA2B7, "\u{7e}"),
    ],
};

/// Python's `gbk` codec: encoding_rs `gbk` corrected to CPython 3.11.
pub(super) static GBK: ByteTable = ByteTable {
    encoding: &encoding_rs::GBK_INIT,
    classes: b"02222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222220",
    reject: &[
        (0xA140, 0xA1A0), (0xA240, 0xA2A0), (0xA2AB, 0xA2B0), (0xA2E3, 0xA2E4), (0xA2EF, 0xA2F0), (0xA2FD, 0xA3A0),
        (0xA440, 0xA4A0), (0xA4F4, 0xA5A0), (0xA5F7, 0xA6A0), (0xA6B9, 0xA6C0), (0xA6D9, 0xA6DF), (0xA6EC, 0xA6ED),
        (0xA6F3, 0xA6F3), (0xA6F6, 0xA7A0), (0xA7C2, 0xA7D0), (0xA7F2, 0xA83F), (0xA896, 0xA8A0), (0xA8BC, 0xA8BC),
        (0xA8BF, 0xA8BF), (0xA8C1, 0xA8C4), (0xA8EA, 0xA93F), (0xA958, 0xA958), (0xA95B, 0xA95B), (0xA95D, 0xA95F),
        (0xA989, 0xA995), (0xA997, 0xA9A3), (0xA9F0, 0xAA3F), (0xAAA1, 0xAB3F), (0xABA1, 0xAC3F), (0xACA1, 0xAD3F),
        (0xADA1, 0xAE3F), (0xAEA1, 0xAF3F), (0xAFA1, 0xB03F), (0xD7FA, 0xD83F), (0xF8A1, 0xF93F), (0xF9A1, 0xFA3F),
        (0xFAA1, 0xFB3F), (0xFBA1, 0xFC3F), (0xFCA1, 0xFD3F), (0xFDA1, 0xFE3F), (0xFE50, 0xFEFF),
    ],
    remap: &[],
};

/// Python's `gb2312` codec: encoding_rs `gbk` corrected to CPython 3.11.
pub(super) static GB2312: ByteTable = ByteTable {
    encoding: &encoding_rs::GBK_INIT,
    classes: b"00000000000000000000000000000000022222222200000022222222222222222222222222222222222222222222222222222222222222222222222200000000",
    reject: &[
        (0xA140, 0xA1A0), (0xA240, 0xA2B0), (0xA2E3, 0xA2E4), (0xA2EF, 0xA2F0), (0xA2FD, 0xA3A0), (0xA440, 0xA4A0),
        (0xA4F4, 0xA5A0), (0xA5F7, 0xA6A0), (0xA6B9, 0xA6C0), (0xA6D9, 0xA7A0), (0xA7C2, 0xA7D0), (0xA7F2, 0xA8A0),
        (0xA8BB, 0xA8C4), (0xA8EA, 0xA9A3), (0xA9F0, 0xB0A0), (0xB140, 0xB1A0), (0xB240, 0xB2A0), (0xB340, 0xB3A0),
        (0xB440, 0xB4A0), (0xB540, 0xB5A0), (0xB640, 0xB6A0), (0xB740, 0xB7A0), (0xB840, 0xB8A0), (0xB940, 0xB9A0),
        (0xBA40, 0xBAA0), (0xBB40, 0xBBA0), (0xBC40, 0xBCA0), (0xBD40, 0xBDA0), (0xBE40, 0xBEA0), (0xBF40, 0xBFA0),
        (0xC040, 0xC0A0), (0xC140, 0xC1A0), (0xC240, 0xC2A0), (0xC340, 0xC3A0), (0xC440, 0xC4A0), (0xC540, 0xC5A0),
        (0xC640, 0xC6A0), (0xC740, 0xC7A0), (0xC840, 0xC8A0), (0xC940, 0xC9A0), (0xCA40, 0xCAA0), (0xCB40, 0xCBA0),
        (0xCC40, 0xCCA0), (0xCD40, 0xCDA0), (0xCE40, 0xCEA0), (0xCF40, 0xCFA0), (0xD040, 0xD0A0), (0xD140, 0xD1A0),
        (0xD240, 0xD2A0), (0xD340, 0xD3A0), (0xD440, 0xD4A0), (0xD540, 0xD5A0), (0xD640, 0xD6A0), (0xD740, 0xD7A0),
        (0xD7FA, 0xD8A0), (0xD940, 0xD9A0), (0xDA40, 0xDAA0), (0xDB40, 0xDBA0), (0xDC40, 0xDCA0), (0xDD40, 0xDDA0),
        (0xDE40, 0xDEA0), (0xDF40, 0xDFA0), (0xE040, 0xE0A0), (0xE140, 0xE1A0), (0xE240, 0xE2A0), (0xE340, 0xE3A0),
        (0xE440, 0xE4A0), (0xE540, 0xE5A0), (0xE640, 0xE6A0), (0xE740, 0xE7A0), (0xE840, 0xE8A0), (0xE940, 0xE9A0),
        (0xEA40, 0xEAA0), (0xEB40, 0xEBA0), (0xEC40, 0xECA0), (0xED40, 0xEDA0), (0xEE40, 0xEEA0), (0xEF40, 0xEFA0),
        (0xF040, 0xF0A0), (0xF140, 0xF1A0), (0xF240, 0xF2A0), (0xF340, 0xF3A0), (0xF440, 0xF4A0), (0xF540, 0xF5A0),
        (0xF640, 0xF6A0), (0xF740, 0xF7A0),
    ],
    remap: &[
        (0xA1A4, "\u{30fb}"), (0xA1AA, "\u{2015}"),
    ],
};

/// Python's `gb18030` codec: encoding_rs `gb18030` corrected to CPython 3.11.
pub(super) static GB18030: ByteTable = ByteTable {
    encoding: &encoding_rs::GB18030_INIT,
    classes: b"04444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444440",
    reject: &[],
    remap: &[
        (0xA3A0, "\u{e5e5}"), (0xA6D9, "\u{e78d}"), (0xA6DA, "\u{e78e}"), (0xA6DB, "\u{e78f}"),
        (0xA6DC, "\u{e790}"), (0xA6DD, "\u{e791}"), (0xA6DE, "\u{e792}"), (0xA6DF, "\u{e793}"),
        (0xA6EC, "\u{e794}"), (0xA6ED, "\u{e795}"), (0xA6F3, "\u{e796}"), (0xA8BC, "\u{e7c7}"),
        (0xFE59, "\u{e81e}"), (0xFE61, "\u{e826}"), (0xFE66, "\u{e82b}"), (0xFE67, "\u{e82c}"),
        (0xFE6D, "\u{e832}"), (0xFE7E, "\u{e843}"), (0xFE90, "\u{e854}"), (0xFEA0, "\u{e864}"),
        (0x8135F437, "\u{1e3f}"),
    ],
};

/// Python's `big5` codec: encoding_rs `big5` corrected to CPython 3.11.
pub(super) static BIG5: ByteTable = ByteTable {
    encoding: &encoding_rs::BIG5_INIT,
    classes: b"00000000000000000000000000000000022222222222222222222222222222222222222202222222222222222222222222222222222222222222222222000000",
    reject: &[
        (0xA3C0, 0xA43F), (0xC7FD, 0xC93F), (0xF9D6, 0xF9FF),
    ],
    remap: &[
        (0xA145, "\u{2022}"), (0xA14E, "\u{ff64}"), (0xA1C2, "\u{203e}"), (0xA1E3, "\u{223c}"),
        (0xA1F2, "\u{2641}"), (0xA1F3, "\u{2609}"), (0xA241, "\u{ff0f}"), (0xA242, "\u{ff3c}"),
        (0xA244, "\u{a5}"), (0xA246, "\u{a2}"), (0xA247, "\u{a3}"), (0xC6A1, "\u{30fe}"),
        (0xC6A2, "\u{309d}"), (0xC6A3, "\u{309e}"), (0xC6A4, "\u{3005}"), (0xC6A5, "\u{3041}"),
        (0xC6A6, "\u{3042}"), (0xC6A7, "\u{3043}"), (0xC6A8, "\u{3044}"), (0xC6A9, "\u{3045}"),
        (0xC6AA, "\u{3046}"), (0xC6AB, "\u{3047}"), (0xC6AC, "\u{3048}"), (0xC6AD, "\u{3049}"),
        (0xC6AE, "\u{304a}"), (0xC6AF, "\u{304b}"), (0xC6B0, "\u{304c}"), (0xC6B1, "\u{304d}"),
        (0xC6B2, "\u{304e}"), (0xC6B3, "\u{304f}"), (0xC6B4, "\u{3050}"), (0xC6B5, "\u{3051}"),
        (0xC6B6, "\u{3052}"), (0xC6B7, "\u{3053}"), (0xC6B8, "\u{3054}"), (0xC6B9, "\u{3055}"),
        (0xC6BA, "\u{3056}"), (0xC6BB, "\u{3057}"), (0xC6BC, "\u{3058}"), (0xC6BD, "\u{3059}"),
        (0xC6BE, "\u{305a}"), (0xC6BF, "\u{305b}"), (0xC6C0, "\u{305c}"), (0xC6C1, "\u{305d}"),
        (0xC6C2, "\u{305e}"), (0xC6C3, "\u{305f}"), (0xC6C4, "\u{3060}"), (0xC6C5, "\u{3061}"),
        (0xC6C6, "\u{3062}"), (0xC6C7, "\u{3063}"), (0xC6C8, "\u{3064}"), (0xC6C9, "\u{3065}"),
        (0xC6CA, "\u{3066}"), (0xC6CB, "\u{3067}"), (0xC6CC, "\u{3068}"), (0xC6CD, "\u{3069}"),
        (0xC6CE, "\u{306a}"), (0xC6CF, "\u{306b}"), (0xC6D0, "\u{306c}"), (0xC6D1, "\u{306d}"),
        (0xC6D2, "\u{306e}"), (0xC6D3, "\u{306f}"), (0xC6D4, "\u{3070}"), (0xC6D5, "\u{3071}"),
        (0xC6D6, "\u{3072}"), (0xC6D7, "\u{3073}"), (0xC6D8, "\u{3074}"), (0xC6D9, "\u{3075}"),
        (0xC6DA, "\u{3076}"), (0xC6DB, "\u{3077}"), (0xC6DC, "\u{3078}"), (0xC6DD, "\u{3079}"),
        (0xC6DE, "\u{307a}"), (0xC6DF, "\u{307b}"), (0xC6E0, "\u{307c}"), (0xC6E1, "\u{307d}"),
        (0xC6E2, "\u{307e}"), (0xC6E3, "\u{307f}"), (0xC6E4, "\u{3080}"), (0xC6E5, "\u{3081}"),
        (0xC6E6, "\u{3082}"), (0xC6E7, "\u{3083}"), (0xC6E8, "\u{3084}"), (0xC6E9, "\u{3085}"),
        (0xC6EA, "\u{3086}"), (0xC6EB, "\u{3087}"), (0xC6EC, "\u{3088}"), (0xC6ED, "\u{3089}"),
        (0xC6EE, "\u{308a}"), (0xC6EF, "\u{308b}"), (0xC6F0, "\u{308c}"), (0xC6F1, "\u{308d}"),
        (0xC6F2, "\u{308e}"), (0xC6F3, "\u{308f}"), (0xC6F4, "\u{3090}"), (0xC6F5, "\u{3091}"),
        (0xC6F6, "\u{3092}"), (0xC6F7, "\u{3093}"), (0xC6F8, "\u{30a1}"), (0xC6F9, "\u{30a2}"),
        (0xC6FA, "\u{30a3}"), (0xC6FB, "\u{30a4}"), (0xC6FC, "\u{30a5}"), (0xC6FD, "\u{30a6}"),
        (0xC6FE, "\u{30a7}"), (0xC740, "\u{30a8}"), (0xC741, "\u{30a9}"), (0xC742, "\u{30aa}"),
        (0xC743, "\u{30ab}"), (0xC744, "\u{30ac}"), (0xC745, "\u{30ad}"), (0xC746, "\u{30ae}"),
        (0xC747, "\u{30af}"), (0xC748, "\u{30b0}"), (0xC749, "\u{30b1}"), (0xC74A, "\u{30b2}"),
        (0xC74B, "\u{30b3}"), (0xC74C, "\u{30b4}"), (0xC74D, "\u{30b5}"), (0xC74E, "\u{30b6}"),
        (0xC74F, "\u{30b7}"), (0xC750, "\u{30b8}"), (0xC751, "\u{30b9}"), (0xC752, "\u{30ba}"),
        (0xC753, "\u{30bb}"), (0xC754, "\u{30bc}"), (0xC755, "\u{30bd}"), (0xC756, "\u{30be}"),
        (0xC757, "\u{30bf}"), (0xC758, "\u{30c0}"), (0xC759, "\u{30c1}"), (0xC75A, "\u{30c2}"),
        (0xC75B, "\u{30c3}"), (0xC75C, "\u{30c4}"), (0xC75D, "\u{30c5}"), (0xC75E, "\u{30c6}"),
        (0xC75F, "\u{30c7}"), (0xC760, "\u{30c8}"), (0xC761, "\u{30c9}"), (0xC762, "\u{30ca}"),
        (0xC763, "\u{30cb}"), (0xC764, "\u{30cc}"), (0xC765, "\u{30cd}"), (0xC766, "\u{30ce}"),
        (0xC767, "\u{30cf}"), (0xC768, "\u{30d0}"), (0xC769, "\u{30d1}"), (0xC76A, "\u{30d2}"),
        (0xC76B, "\u{30d3}"), (0xC76C, "\u{30d4}"), (0xC76D, "\u{30d5}"), (0xC76E, "\u{30d6}"),
        (0xC76F, "\u{30d7}"), (0xC770, "\u{30d8}"), (0xC771, "\u{30d9}"), (0xC772, "\u{30da}"),
        (0xC773, "\u{30db}"), (0xC774, "\u{30dc}"), (0xC775, "\u{30dd}"), (0xC776, "\u{30de}"),
        (0xC777, "\u{30df}"), (0xC778, "\u{30e0}"), (0xC779, "\u{30e1}"), (0xC77A, "\u{30e2}"),
        (0xC77B, "\u{30e3}"), (0xC77C, "\u{30e4}"), (0xC77D, "\u{30e5}"), (0xC77E, "\u{30e6}"),
        (0xC7A1, "\u{30e7}"), (0xC7A2, "\u{30e8}"), (0xC7A3, "\u{30e9}"), (0xC7A4, "\u{30ea}"),
        (0xC7A5, "\u{30eb}"), (0xC7A6, "\u{30ec}"), (0xC7A7, "\u{30ed}"), (0xC7A8, "\u{30ee}"),
        (0xC7A9, "\u{30ef}"), (0xC7AA, "\u{30f0}"), (0xC7AB, "\u{30f1}"), (0xC7AC, "\u{30f2}"),
        (0xC7AD, "\u{30f3}"), (0xC7AE, "\u{30f4}"), (0xC7AF, "\u{30f5}"), (0xC7B0, "\u{30f6}"),
        (0xC7B1, "\u{414}"), (0xC7B2, "\u{415}"), (0xC7B3, "\u{401}"), (0xC7B4, "\u{416}"),
        (0xC7B5, "\u{417}"), (0xC7B6, "\u{418}"), (0xC7B7, "\u{419}"), (0xC7B8, "\u{41a}"),
        (0xC7B9, "\u{41b}"), (0xC7BA, "\u{41c}"), (0xC7BB, "\u{423}"), (0xC7BC, "\u{424}"),
        (0xC7BD, "\u{425}"), (0xC7BE, "\u{426}"), (0xC7BF, "\u{427}"), (0xC7C0, "\u{428}"),
        (0xC7C1, "\u{429}"), (0xC7C2, "\u{42a}"), (0xC7C3, "\u{42b}"), (0xC7C4, "\u{42c}"),
        (0xC7C5, "\u{42d}"), (0xC7C6, "\u{42e}"), (0xC7C7, "\u{42f}"), (0xC7C8, "\u{430}"),
        (0xC7C9, "\u{431}"), (0xC7CA, "\u{432}"), (0xC7CB, "\u{433}"), (0xC7CC, "\u{434}"),
        (0xC7CD, "\u{435}"), (0xC7CE, "\u{451}"), (0xC7CF, "\u{436}"), (0xC7D0, "\u{437}"),
        (0xC7D1, "\u{438}"), (0xC7D2, "\u{439}"), (0xC7D3, "\u{43a}"), (0xC7D4, "\u{43b}"),
        (0xC7D5, "\u{43c}"), (0xC7D6, "\u{43d}"), (0xC7D7, "\u{43e}"), (0xC7D8, "\u{43f}"),
        (0xC7D9, "\u{440}"), (0xC7DA, "\u{441}"), (0xC7DB, "\u{442}"), (0xC7DC, "\u{443}"),
        (0xC7DD, "\u{444}"), (0xC7DE, "\u{445}"), (0xC7DF, "\u{446}"), (0xC7E0, "\u{447}"),
        (0xC7E1, "\u{448}"), (0xC7E2, "\u{449}"), (0xC7E3, "\u{44a}"), (0xC7E4, "\u{44b}"),
        (0xC7E5, "\u{44c}"), (0xC7E6, "\u{44d}"), (0xC7E7, "\u{44e}"), (0xC7E8, "\u{44f}"),
        (0xC7E9, "\u{2460}"), (0xC7EA, "\u{2461}"), (0xC7EB, "\u{2462}"), (0xC7EC, "\u{2463}"),
        (0xC7ED, "\u{2464}"), (0xC7EE, "\u{2465}"), (0xC7EF, "\u{2466}"), (0xC7F0, "\u{2467}"),
        (0xC7F1, "\u{2468}"), (0xC7F2, "\u{2469}"), (0xC7F3, "\u{2474}"), (0xC7F4, "\u{2475}"),
        (0xC7F5, "\u{2476}"), (0xC7F6, "\u{2477}"), (0xC7F7, "\u{2478}"), (0xC7F8, "\u{2479}"),
        (0xC7F9, "\u{247a}"), (0xC7FA, "\u{247b}"), (0xC7FB, "\u{247c}"), (0xC7FC, "\u{247d}"),
    ],
};

/// Python's `cp950` codec: encoding_rs `big5` corrected to CPython 3.11.
pub(super) static CP950: ByteTable = ByteTable {
    encoding: &encoding_rs::BIG5_INIT,
    classes: b"00000000000000000000000000000000022222222222222222222222222222222222222202222222222222222222222222222222222222222222222222000000",
    reject: &[
        (0xA3C0, 0xA3E0), (0xC7FD, 0xC93F),
    ],
    remap: &[
        (0xC6A1, "\u{30fe}"), (0xC6A2, "\u{309d}"), (0xC6A3, "\u{309e}"), (0xC6A4, "\u{3005}"),
        (0xC6A5, "\u{3041}"), (0xC6A6, "\u{3042}"), (0xC6A7, "\u{3043}"), (0xC6A8, "\u{3044}"),
        (0xC6A9, "\u{3045}"), (0xC6AA, "\u{3046}"), (0xC6AB, "\u{3047}"), (0xC6AC, "\u{3048}"),
        (0xC6AD, "\u{3049}"), (0xC6AE, "\u{304a}"), (0xC6AF, "\u{304b}"), (0xC6B0, "\u{304c}"),
        (0xC6B1, "\u{304d}"), (0xC6B2, "\u{304e}"), (0xC6B3, "\u{304f}"), (0xC6B4, "\u{3050}"),
        (0xC6B5, "\u{3051}"), (0xC6B6, "\u{3052}"), (0xC6B7, "\u{3053}"), (0xC6B8, "\u{3054}"),
        (0xC6B9, "\u{3055}"), (0xC6BA, "\u{3056}"), (0xC6BB, "\u{3057}"), (0xC6BC, "\u{3058}"),
        (0xC6BD, "\u{3059}"), (0xC6BE, "\u{305a}"), (0xC6BF, "\u{305b}"), (0xC6C0, "\u{305c}"),
        (0xC6C1, "\u{305d}"), (0xC6C2, "\u{305e}"), (0xC6C3, "\u{305f}"), (0xC6C4, "\u{3060}"),
        (0xC6C5, "\u{3061}"), (0xC6C6, "\u{3062}"), (0xC6C7, "\u{3063}"), (0xC6C8, "\u{3064}"),
        (0xC6C9, "\u{3065}"), (0xC6CA, "\u{3066}"), (0xC6CB, "\u{3067}"), (0xC6CC, "\u{3068}"),
        (0xC6CD, "\u{3069}"), (0xC6CE, "\u{306a}"), (0xC6CF, "\u{306b}"), (0xC6D0, "\u{306c}"),
        (0xC6D1, "\u{306d}"), (0xC6D2, "\u{306e}"), (0xC6D3, "\u{306f}"), (0xC6D4, "\u{3070}"),
        (0xC6D5, "\u{3071}"), (0xC6D6, "\u{3072}"), (0xC6D7, "\u{3073}"), (0xC6D8, "\u{3074}"),
        (0xC6D9, "\u{3075}"), (0xC6DA, "\u{3076}"), (0xC6DB, "\u{3077}"), (0xC6DC, "\u{3078}"),
        (0xC6DD, "\u{3079}"), (0xC6DE, "\u{307a}"), (0xC6DF, "\u{307b}"), (0xC6E0, "\u{307c}"),
        (0xC6E1, "\u{307d}"), (0xC6E2, "\u{307e}"), (0xC6E3, "\u{307f}"), (0xC6E4, "\u{3080}"),
        (0xC6E5, "\u{3081}"), (0xC6E6, "\u{3082}"), (0xC6E7, "\u{3083}"), (0xC6E8, "\u{3084}"),
        (0xC6E9, "\u{3085}"), (0xC6EA, "\u{3086}"), (0xC6EB, "\u{3087}"), (0xC6EC, "\u{3088}"),
        (0xC6ED, "\u{3089}"), (0xC6EE, "\u{308a}"), (0xC6EF, "\u{308b}"), (0xC6F0, "\u{308c}"),
        (0xC6F1, "\u{308d}"), (0xC6F2, "\u{308e}"), (0xC6F3, "\u{308f}"), (0xC6F4, "\u{3090}"),
        (0xC6F5, "\u{3091}"), (0xC6F6, "\u{3092}"), (0xC6F7, "\u{3093}"), (0xC6F8, "\u{30a1}"),
        (0xC6F9, "\u{30a2}"), (0xC6FA, "\u{30a3}"), (0xC6FB, "\u{30a4}"), (0xC6FC, "\u{30a5}"),
        (0xC6FD, "\u{30a6}"), (0xC6FE, "\u{30a7}"), (0xC740, "\u{30a8}"), (0xC741, "\u{30a9}"),
        (0xC742, "\u{30aa}"), (0xC743, "\u{30ab}"), (0xC744, "\u{30ac}"), (0xC745, "\u{30ad}"),
        (0xC746, "\u{30ae}"), (0xC747, "\u{30af}"), (0xC748, "\u{30b0}"), (0xC749, "\u{30b1}"),
        (0xC74A, "\u{30b2}"), (0xC74B, "\u{30b3}"), (0xC74C, "\u{30b4}"), (0xC74D, "\u{30b5}"),
        (0xC74E, "\u{30b6}"), (0xC74F, "\u{30b7}"), (0xC750, "\u{30b8}"), (0xC751, "\u{30b9}"),
        (0xC752, "\u{30ba}"), (0xC753, "\u{30bb}"), (0xC754, "\u{30bc}"), (0xC755, "\u{30bd}"),
        (0xC756, "\u{30be}"), (0xC757, "\u{30bf}"), (0xC758, "\u{30c0}"), (0xC759, "\u{30c1}"),
        (0xC75A, "\u{30c2}"), (0xC75B, "\u{30c3}"), (0xC75C, "\u{30c4}"), (0xC75D, "\u{30c5}"),
        (0xC75E, "\u{30c6}"), (0xC75F, "\u{30c7}"), (0xC760, "\u{30c8}"), (0xC761, "\u{30c9}"),
        (0xC762, "\u{30ca}"), (0xC763, "\u{30cb}"), (0xC764, "\u{30cc}"), (0xC765, "\u{30cd}"),
        (0xC766, "\u{30ce}"), (0xC767, "\u{30cf}"), (0xC768, "\u{30d0}"), (0xC769, "\u{30d1}"),
        (0xC76A, "\u{30d2}"), (0xC76B, "\u{30d3}"), (0xC76C, "\u{30d4}"), (0xC76D, "\u{30d5}"),
        (0xC76E, "\u{30d6}"), (0xC76F, "\u{30d7}"), (0xC770, "\u{30d8}"), (0xC771, "\u{30d9}"),
        (0xC772, "\u{30da}"), (0xC773, "\u{30db}"), (0xC774, "\u{30dc}"), (0xC775, "\u{30dd}"),
        (0xC776, "\u{30de}"), (0xC777, "\u{30df}"), (0xC778, "\u{30e0}"), (0xC779, "\u{30e1}"),
        (0xC77A, "\u{30e2}"), (0xC77B, "\u{30e3}"), (0xC77C, "\u{30e4}"), (0xC77D, "\u{30e5}"),
        (0xC77E, "\u{30e6}"), (0xC7A1, "\u{30e7}"), (0xC7A2, "\u{30e8}"), (0xC7A3, "\u{30e9}"),
        (0xC7A4, "\u{30ea}"), (0xC7A5, "\u{30eb}"), (0xC7A6, "\u{30ec}"), (0xC7A7, "\u{30ed}"),
        (0xC7A8, "\u{30ee}"), (0xC7A9, "\u{30ef}"), (0xC7AA, "\u{30f0}"), (0xC7AB, "\u{30f1}"),
        (0xC7AC, "\u{30f2}"), (0xC7AD, "\u{30f3}"), (0xC7AE, "\u{30f4}"), (0xC7AF, "\u{30f5}"),
        (0xC7B0, "\u{30f6}"), (0xC7B1, "\u{414}"), (0xC7B2, "\u{415}"), (0xC7B3, "\u{401}"),
        (0xC7B4, "\u{416}"), (0xC7B5, "\u{417}"), (0xC7B6, "\u{418}"), (0xC7B7, "\u{419}"),
        (0xC7B8, "\u{41a}"), (0xC7B9, "\u{41b}"), (0xC7BA, "\u{41c}"), (0xC7BB, "\u{423}"),
        (0xC7BC, "\u{424}"), (0xC7BD, "\u{425}"), (0xC7BE, "\u{426}"), (0xC7BF, "\u{427}"),
        (0xC7C0, "\u{428}"), (0xC7C1, "\u{429}"), (0xC7C2, "\u{42a}"), (0xC7C3, "\u{42b}"),
        (0xC7C4, "\u{42c}"), (0xC7C5, "\u{42d}"), (0xC7C6, "\u{42e}"), (0xC7C7, "\u{42f}"),
        (0xC7C8, "\u{430}"), (0xC7C9, "\u{431}"), (0xC7CA, "\u{432}"), (0xC7CB, "\u{433}"),
        (0xC7CC, "\u{434}"), (0xC7CD, "\u{435}"), (0xC7CE, "\u{451}"), (0xC7CF, "\u{436}"),
        (0xC7D0, "\u{437}"), (0xC7D1, "\u{438}"), (0xC7D2, "\u{439}"), (0xC7D3, "\u{43a}"),
        (0xC7D4, "\u{43b}"), (0xC7D5, "\u{43c}"), (0xC7D6, "\u{43d}"), (0xC7D7, "\u{43e}"),
        (0xC7D8, "\u{43f}"), (0xC7D9, "\u{440}"), (0xC7DA, "\u{441}"), (0xC7DB, "\u{442}"),
        (0xC7DC, "\u{443}"), (0xC7DD, "\u{444}"), (0xC7DE, "\u{445}"), (0xC7DF, "\u{446}"),
        (0xC7E0, "\u{447}"), (0xC7E1, "\u{448}"), (0xC7E2, "\u{449}"), (0xC7E3, "\u{44a}"),
        (0xC7E4, "\u{44b}"), (0xC7E5, "\u{44c}"), (0xC7E6, "\u{44d}"), (0xC7E7, "\u{44e}"),
        (0xC7E8, "\u{44f}"), (0xC7E9, "\u{2460}"), (0xC7EA, "\u{2461}"), (0xC7EB, "\u{2462}"),
        (0xC7EC, "\u{2463}"), (0xC7ED, "\u{2464}"), (0xC7EE, "\u{2465}"), (0xC7EF, "\u{2466}"),
        (0xC7F0, "\u{2467}"), (0xC7F1, "\u{2468}"), (0xC7F2, "\u{2469}"), (0xC7F3, "\u{2474}"),
        (0xC7F4, "\u{2475}"), (0xC7F5, "\u{2476}"), (0xC7F6, "\u{2477}"), (0xC7F7, "\u{2478}"),
        (0xC7F8, "\u{2479}"), (0xC7F9, "\u{247a}"), (0xC7FA, "\u{247b}"), (0xC7FB, "\u{247c}"),
        (0xC7FC, "\u{247d}"), (0xF9FE, "\u{2593}"),
    ],
};

/// Python's `euc_kr` codec: encoding_rs `euc-kr` corrected to CPython 3.11.
pub(super) static EUC_KR: ByteTable = ByteTable {
    encoding: &encoding_rs::EUC_KR_INIT,
    classes: b"00000000000000000000000000000000022222222222200022222222222222222222222220222222222222222222222222222222222222222222222222222200",
    reject: &[
        (0xA141, 0xA1A0), (0xA241, 0xA2A0), (0xA341, 0xA3A0), (0xA441, 0xA4A0), (0xA4D4, 0xA4D4), (0xA541, 0xA5A0),
        (0xA641, 0xA6A0), (0xA741, 0xA7A0), (0xA841, 0xA8A0), (0xA941, 0xA9A0), (0xAA41, 0xAAA0), (0xAB41, 0xABA0),
        (0xAC41, 0xACA0), (0xB041, 0xB0A0), (0xB141, 0xB1A0), (0xB241, 0xB2A0), (0xB341, 0xB3A0), (0xB441, 0xB4A0),
        (0xB541, 0xB5A0), (0xB641, 0xB6A0), (0xB741, 0xB7A0), (0xB841, 0xB8A0), (0xB941, 0xB9A0), (0xBA41, 0xBAA0),
        (0xBB41, 0xBBA0), (0xBC41, 0xBCA0), (0xBD41, 0xBDA0), (0xBE41, 0xBEA0), (0xBF41, 0xBFA0), (0xC041, 0xC0A0),
        (0xC141, 0xC1A0), (0xC241, 0xC2A0), (0xC341, 0xC3A0), (0xC441, 0xC4A0), (0xC541, 0xC5A0), (0xC641, 0xC6A0),
    ],
    remap: &[],
};

/// Python's `cp949` codec: encoding_rs `euc-kr` corrected to CPython 3.11.
pub(super) static CP949: ByteTable = ByteTable {
    encoding: &encoding_rs::EUC_KR_INIT,
    classes: b"02222222222222222222222222222222222222222222222222222222222222222222222220222222222222222222222222222222222222222222222222222200",
    reject: &[],
    remap: &[],
};
