//! A raw-deflate stream compressor that writes straight into a sink, shared
//! by the zip and gzip writers.
//!
//! `flate2::write::DeflateEncoder` would own the sink, which does not fit a
//! zip writer that must seek back into the same sink between members; this
//! borrows the sink per call instead.
//!
//! # Segments
//!
//! The stream is cut into segments of [`SEGMENT`] input bytes, each
//! compressed on its own (primed with the 32 KiB of input before it as a
//! preset dictionary, so little is lost) and ended with a sync flush, which
//! byte-aligns it so the segments simply concatenate; the last one ends the
//! stream. Independent segments can be compressed on several threads (the
//! host's [`Parallel`]), and the bytes depend only on the data: the same
//! with one thread or eight, natively, under WASI and in a browser. A
//! stream shorter than a segment (most files) is one plain deflate stream.
//! Memory stays at a few segments whatever the amount of data.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

use crate::parallel::{Parallel, Sequential, Task};

/// Input bytes per independently compressed segment: large enough that the
/// sync flushes and lost matches cost well under 0.1%, small enough that a
/// 2 MB sdist keeps two cores busy.
const SEGMENT: usize = 256 * 1024;

/// Deflate's window: the dictionary a segment is primed with.
const WINDOW: usize = 32 * 1024;

/// Output buffer size of one compressor call.
const BUFFER_SIZE: usize = 32 * 1024;

/// The compressor is always handed input in blocks of exactly this size
/// (the last block excepted). zlib-rs's output depends on how its input is
/// split between calls, and reads come in sizes that vary by host; feeding
/// it fixed blocks makes the output depend on the data alone.
const INPUT_BLOCK: usize = 64 * 1024;

/// A raw deflate (RFC 1951, no zlib or gzip framing) compressor.
pub(crate) struct Deflater {
    level: u32,
    parallel: &'static dyn Parallel,
    /// Segments handed over at once: the parallel's width, asked once.
    width: usize,
    /// The compressor of every stream's first segment, reused from stream
    /// to stream (a zip has thousands of small members). zlib-rs's output
    /// after a reset depends on what the compressor did before, so this one
    /// sees the same sequence on every host; segments primed with a
    /// dictionary get a fresh compressor each, whichever thread runs them.
    first_segments: Compress,
    /// Input not compressed yet.
    pending: Vec<u8>,
    /// The last [`WINDOW`] bytes of input before `pending`.
    window: Vec<u8>,
    /// Compressed bytes produced since the last reset.
    total_out: u64,
}

impl Deflater {
    /// A compressor at the zlib `level` (6 is zlib's default, 9 the best)
    /// that compresses segments one after the other.
    pub(crate) fn new(level: u32) -> Self {
        Deflater {
            level,
            parallel: &Sequential,
            width: 1,
            first_segments: Compress::new(Compression::new(level), false),
            pending: Vec::new(),
            window: Vec::new(),
            total_out: 0,
        }
    }

    /// Lets `parallel` compress several segments at once. The bytes are
    /// the same either way.
    pub(crate) fn set_parallel(&mut self, parallel: &'static dyn Parallel) {
        self.parallel = parallel;
        self.width = parallel.width().max(1);
    }

    /// Starts a fresh stream (a new zip member) with the same level.
    pub(crate) fn reset(&mut self) {
        self.pending.clear();
        self.window.clear();
        self.total_out = 0;
    }

    /// Compressed bytes produced since the last reset.
    pub(crate) fn total_out(&self) -> u64 {
        self.total_out
    }

    /// Compresses all of `input`, writing whatever output is ready to `sink`.
    pub(crate) fn write(&mut self, input: &[u8], sink: &mut dyn Write) -> io::Result<()> {
        self.pending.extend_from_slice(input);
        let batch = SEGMENT * self.width;
        // Strictly more than a batch: the segment holding the stream's last
        // byte must be the one that ends it, and only `finish` knows which.
        while self.pending.len() > batch {
            self.compress_segments(batch, false, sink)?;
        }
        Ok(())
    }

    /// Ends the stream, writing the remaining output to `sink`.
    pub(crate) fn finish(&mut self, sink: &mut dyn Write) -> io::Result<()> {
        self.compress_segments(self.pending.len(), true, sink)
    }

    /// Compresses the first `length` pending bytes as consecutive segments,
    /// at the same time when the host allows; with `last`, the final
    /// segment ends the stream.
    fn compress_segments(&mut self, length: usize, last: bool, sink: &mut dyn Write) -> io::Result<()> {
        let input = self.pending.get(..length).unwrap_or_default();
        let mut segments: Vec<&[u8]> = input.chunks(SEGMENT).collect();
        if segments.is_empty() {
            // An empty stream still needs its final block.
            segments.push(&[]);
        }
        let starts_stream = self.window.is_empty();
        let mut fresh: Vec<Compress> = (usize::from(starts_stream)..segments.len())
            .map(|_| Compress::new(Compression::new(self.level), false))
            .collect();
        let mut compressors: Vec<&mut Compress> = Vec::with_capacity(segments.len());
        if starts_stream {
            compressors.push(&mut self.first_segments);
        }
        compressors.extend(fresh.iter_mut());
        let count = segments.len();
        let mut outputs: Vec<io::Result<Vec<u8>>> = (0..count).map(|_| Ok(Vec::new())).collect();
        let mut tasks: Vec<Task<'_>> = Vec::with_capacity(count);
        let mut previous: &[u8] = &self.window;
        for (index, ((segment, compress), output)) in
            segments.iter().zip(compressors).zip(outputs.iter_mut()).enumerate()
        {
            let dictionary = tail(previous, WINDOW);
            let ends_stream = last && index + 1 == count;
            let segment: &[u8] = segment;
            tasks.push(Box::new(move || *output = compress_segment(compress, dictionary, segment, ends_stream)));
            previous = segment;
        }
        if count == 1 {
            // Not worth a thread.
            Sequential.run_all(tasks);
        } else {
            self.parallel.run_all(tasks);
        }
        for output in outputs {
            let output = output?;
            sink.write_all(&output)?;
            self.total_out += output.len() as u64;
        }
        self.window.extend_from_slice(tail(input, WINDOW));
        let keep = self.window.len().saturating_sub(WINDOW);
        self.window.drain(..keep);
        self.pending.drain(..length);
        Ok(())
    }
}

/// The last `count` bytes of `data` (all of it if shorter).
fn tail(data: &[u8], count: usize) -> &[u8] {
    data.get(data.len().saturating_sub(count)..).unwrap_or_default()
}

/// Compresses one segment with `compress` (reset first), primed with
/// `dictionary`; ends the stream if `ends_stream`, else ends byte-aligned
/// with a sync flush.
fn compress_segment(
    compress: &mut Compress,
    dictionary: &[u8],
    segment: &[u8],
    ends_stream: bool,
) -> io::Result<Vec<u8>> {
    compress.reset();
    if !dictionary.is_empty() {
        compress.set_dictionary(dictionary).map_err(io::Error::other)?;
    }
    let mut output = Vec::with_capacity(segment.len() / 3 + 64);
    let mut buffer = vec![0; BUFFER_SIZE];
    for block in segment.chunks(INPUT_BLOCK) {
        let mut block = block;
        while !block.is_empty() {
            let consumed = step(compress, block, FlushCompress::None, &mut buffer, &mut output)?.0;
            block = block.get(consumed..).unwrap_or_default();
        }
    }
    let flush = if ends_stream { FlushCompress::Finish } else { FlushCompress::Sync };
    loop {
        let (_, produced, status) = step(compress, &[], flush, &mut buffer, &mut output)?;
        let done = if ends_stream { status == Status::StreamEnd } else { produced < buffer.len() };
        if done {
            return Ok(output);
        }
    }
}

/// One call into the compressor; returns the input consumed, the output
/// produced and the status. Fails rather than loops forever if the
/// compressor makes no progress (a bug in it, which must not hang a build).
fn step(
    compress: &mut Compress,
    input: &[u8],
    flush: FlushCompress,
    buffer: &mut [u8],
    output: &mut Vec<u8>,
) -> io::Result<(usize, usize, Status)> {
    let before_in = compress.total_in();
    let before_out = compress.total_out();
    let status = compress.compress(input, buffer, flush).map_err(io::Error::other)?;
    let consumed = usize::try_from(compress.total_in() - before_in).map_err(io::Error::other)?;
    let produced = usize::try_from(compress.total_out() - before_out).map_err(io::Error::other)?;
    output.extend_from_slice(buffer.get(..produced).unwrap_or_default());
    if consumed == 0 && produced == 0 && status != Status::StreamEnd {
        return Err(io::Error::other("the deflate compressor made no progress"));
    }
    Ok((consumed, produced, status))
}

/// Compresses a whole buffer into a new vector (for precompressed members).
pub(crate) fn deflate_to_vec(data: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let mut deflater = Deflater::new(level);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    deflater.write(data, &mut out)?;
    deflater.finish(&mut out)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test should stop at the failure")]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| ((i * 7919 + i / 300) % 251) as u8).collect()
    }

    #[test]
    fn empty_stream_is_the_two_byte_final_block() {
        // zlib's output for no input, as CPython writes for an empty member.
        assert_eq!(deflate_to_vec(&[], 6).unwrap(), [0x03, 0x00]);
        assert_eq!(deflate_to_vec(&[], 9).unwrap(), [0x03, 0x00]);
    }

    #[test]
    fn round_trips_and_ignores_how_input_is_chunked() {
        // The output must not depend on the reader's chunk sizes, or the same
        // project would give different bytes on different hosts.
        let data = sample(300_000);
        let whole = deflate_to_vec(&data, 6).unwrap();
        assert_eq!(inflate(&whole), data);
        for chunk in [1usize, 7, 4096, 8192, 65_536] {
            let mut deflater = Deflater::new(6);
            let mut out = Vec::new();
            for piece in data.chunks(chunk) {
                deflater.write(piece, &mut out).unwrap();
            }
            deflater.finish(&mut out).unwrap();
            assert_eq!(out, whole, "chunk size {chunk}");
        }
    }

    /// Runs tasks last first, handing over three at a time: if the output
    /// depended on the order or the batch size, this would show it.
    struct Reversed;

    impl Parallel for Reversed {
        fn run_all(&self, tasks: Vec<Task<'_>>) {
            for task in tasks.into_iter().rev() {
                task();
            }
        }

        fn width(&self) -> usize {
            3
        }
    }

    /// Text that compresses like source code: unlike `sample`, matches
    /// depend on the hash chains, so a compressor's leftover state shows.
    fn text(len: usize) -> Vec<u8> {
        let words = ["import", "value", "return", "self", "config", "def", "class", "(", ")", ":", "\n    "];
        let mut text = Vec::with_capacity(len + 16);
        let mut state = 7u32;
        while text.len() < len {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.extend_from_slice(words[(state >> 16) as usize % words.len()].as_bytes());
            if state.is_multiple_of(5) {
                text.extend_from_slice(format!("_{}", state % 991).as_bytes());
            }
            text.push(b' ');
        }
        text.truncate(len);
        text
    }

    /// A CSV table: long-distance matches at varying offsets, the data on
    /// which reusing a primed compressor was seen to change the bytes.
    fn table(len: usize) -> Vec<u8> {
        let names = ["Ada", "Grace", "Linus", "Guido", "Barbara", "Ken", "Dennis", "Margaret"];
        let cities = ["Lisbon", "Oslo", "Quito", "Nairobi", "Hanoi", "Perth"];
        let mut table = b"id,name,city,amount,created\n".to_vec();
        let mut state = 11u32;
        let mut id = 0u32;
        while table.len() < len {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            id += 1;
            let row = format!(
                "{id},{} {},{},{}.{:02},2024-{:02}-{:02}\n",
                names[(state >> 8) as usize % names.len()],
                names[(state >> 12) as usize % names.len()],
                cities[(state >> 16) as usize % cities.len()],
                state % 100_000,
                state % 100,
                1 + (state >> 20) % 12,
                1 + (state >> 24) % 28,
            );
            table.extend_from_slice(row.as_bytes());
        }
        table.truncate(len);
        table
    }

    /// Compresses `streams` one after the other with one deflater.
    fn deflate_streams(streams: &[&[u8]], parallel: &'static dyn Parallel, chunk: usize) -> Vec<Vec<u8>> {
        let mut deflater = Deflater::new(6);
        deflater.set_parallel(parallel);
        streams
            .iter()
            .map(|data| {
                deflater.reset();
                let mut out = Vec::new();
                for piece in data.chunks(chunk) {
                    deflater.write(piece, &mut out).unwrap();
                }
                deflater.finish(&mut out).unwrap();
                out
            })
            .collect()
    }

    #[test]
    fn segments_give_the_same_bytes_however_they_are_scheduled() {
        // Several streams through one deflater, as zip members are: a
        // compressor's history must not leak into the bytes either.
        let (big, other, small) = (text(5 * SEGMENT + 12_345), table(9 * SEGMENT), text(SEGMENT / 3));
        let streams: [&[u8]; 5] = [&big, &other, &small, &big, &sample(2 * SEGMENT + 1)];
        let sequential = deflate_streams(&streams, &Sequential, 4096);
        for (out, data) in sequential.iter().zip(streams) {
            assert_eq!(inflate(out), data);
        }
        assert_eq!(sequential[0], sequential[3]);
        for chunk in [1000usize, SEGMENT, 3 * SEGMENT + 1] {
            assert_eq!(deflate_streams(&streams, &Reversed, chunk), sequential, "written in pieces of {chunk}");
        }
    }

    #[test]
    fn a_compressor_history_never_reaches_the_bytes() {
        // Three segments of a CSV table made by tests/bench/make_large_project.py
        // on which zlib-rs, after `reset` and `set_dictionary`, compresses the
        // third segment differently depending on what the compressor did
        // before (it once made two threads give other bytes than one).
        let mut data = Vec::new();
        flate2::read::GzDecoder::new(&include_bytes!("testdata/history-sensitive.csv.gz")[..])
            .read_to_end(&mut data)
            .unwrap();
        assert_eq!(data.len(), 3 * SEGMENT);
        let streams: [&[u8]; 2] = [&data, &data];
        let sequential = deflate_streams(&streams, &Sequential, 65_536);
        assert_eq!(inflate(&sequential[0]), data);
        assert_eq!(sequential[0], sequential[1]);
        assert_eq!(deflate_streams(&streams, &Reversed, 65_536), sequential);
        assert_eq!(deflate_streams(&streams, &Pairs, 65_536), sequential);
    }

    /// Hands over two segments at a time, in order.
    struct Pairs;

    impl Parallel for Pairs {
        fn run_all(&self, tasks: Vec<Task<'_>>) {
            Sequential.run_all(tasks);
        }

        fn width(&self) -> usize {
            2
        }
    }

    #[test]
    fn a_stream_of_exact_segments_ends_once() {
        for length in [SEGMENT, 2 * SEGMENT, 3 * SEGMENT] {
            let data = sample(length);
            let mut deflater = Deflater::new(6);
            deflater.set_parallel(&Reversed);
            let mut out = Vec::new();
            deflater.write(&data, &mut out).unwrap();
            deflater.finish(&mut out).unwrap();
            assert_eq!(inflate(&out), data);
            assert_eq!(out, deflate_to_vec(&data, 6).unwrap());
        }
    }

    #[test]
    fn a_short_stream_is_one_plain_deflate_stream() {
        let data = sample(SEGMENT / 2);
        let mut compress = Compress::new(Compression::new(6), false);
        let mut plain = Vec::with_capacity(data.len());
        for block in data.chunks(INPUT_BLOCK) {
            compress.compress_vec(block, &mut plain, FlushCompress::None).unwrap();
            plain.reserve(INPUT_BLOCK);
        }
        plain.reserve(INPUT_BLOCK);
        assert_eq!(compress.compress_vec(&[], &mut plain, FlushCompress::Finish).unwrap(), Status::StreamEnd);
        assert_eq!(deflate_to_vec(&data, 6).unwrap(), plain);
    }

    #[test]
    fn segments_cost_almost_nothing_in_size() {
        let text = text(8 * SEGMENT);
        let segmented = deflate_to_vec(&text, 6).unwrap().len();
        let mut compress = Compress::new(Compression::new(6), false);
        let mut whole = Vec::with_capacity(text.len());
        compress.compress_vec(&text, &mut whole, FlushCompress::Finish).unwrap();
        assert!(segmented as f64 <= whole.len() as f64 * 1.002, "{segmented} vs {}", whole.len());
    }

    #[test]
    fn reset_starts_an_identical_stream() {
        let mut deflater = Deflater::new(6);
        let mut first = Vec::new();
        deflater.write(b"hello hello hello", &mut first).unwrap();
        deflater.finish(&mut first).unwrap();
        deflater.reset();
        assert_eq!(deflater.total_out(), 0);
        let mut second = Vec::new();
        deflater.write(b"hello hello hello", &mut second).unwrap();
        deflater.finish(&mut second).unwrap();
        assert_eq!(first, second);
    }
}
