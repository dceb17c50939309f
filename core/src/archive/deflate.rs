//! A raw-deflate stream compressor that writes straight into a sink through
//! a fixed-size buffer, shared by the zip and gzip writers.
//!
//! `flate2::write::DeflateEncoder` would own the sink, which does not fit a
//! zip writer that must seek back into the same sink between members; this
//! borrows the sink per call instead. Memory stays at one buffer whatever
//! the amount of data.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Output buffer size: large enough that the sink sees few, big writes.
const BUFFER_SIZE: usize = 32 * 1024;

/// The compressor is always handed input in blocks of exactly this size
/// (the last block excepted). zlib-rs's output depends on how its input is
/// split between calls, and reads come in sizes that vary by host; feeding
/// it fixed blocks makes the output depend on the data alone, so the same
/// project gives the same bytes natively, under WASI and in a browser.
const INPUT_BLOCK: usize = 64 * 1024;

/// A raw deflate (RFC 1951, no zlib or gzip framing) compressor.
pub(crate) struct Deflater {
    compress: Compress,
    buffer: Vec<u8>,
    /// Input not yet handed to the compressor (less than one block).
    pending: Vec<u8>,
}

impl Deflater {
    /// A compressor at the zlib `level` (6 is zlib's default, 9 the best).
    pub(crate) fn new(level: u32) -> Self {
        Deflater {
            // `false`: no zlib header, as zipfile and gzip use `wbits = -15`.
            compress: Compress::new(Compression::new(level), false),
            buffer: vec![0; BUFFER_SIZE],
            pending: Vec::with_capacity(INPUT_BLOCK),
        }
    }

    /// Starts a fresh stream (a new zip member) with the same level.
    pub(crate) fn reset(&mut self) {
        self.compress.reset();
        self.pending.clear();
    }

    /// Compressed bytes produced since the last reset.
    pub(crate) fn total_out(&self) -> u64 {
        self.compress.total_out()
    }

    /// Compresses all of `input`, writing whatever output is ready to `sink`.
    pub(crate) fn write(&mut self, mut input: &[u8], sink: &mut dyn Write) -> io::Result<()> {
        while !input.is_empty() {
            let room = INPUT_BLOCK - self.pending.len();
            let (now, later) = input.split_at(room.min(input.len()));
            self.pending.extend_from_slice(now);
            input = later;
            if self.pending.len() == INPUT_BLOCK {
                let block = std::mem::take(&mut self.pending);
                self.compress_all(&block, sink)?;
                self.pending = block;
                self.pending.clear();
            }
        }
        Ok(())
    }

    /// Hands one whole block to the compressor.
    fn compress_all(&mut self, mut block: &[u8], sink: &mut dyn Write) -> io::Result<()> {
        while !block.is_empty() {
            let consumed = self.step(block, FlushCompress::None, sink)?.0;
            block = block.get(consumed..).unwrap_or_default();
        }
        Ok(())
    }

    /// Ends the stream, writing the remaining output to `sink`.
    pub(crate) fn finish(&mut self, sink: &mut dyn Write) -> io::Result<()> {
        let last = std::mem::take(&mut self.pending);
        self.compress_all(&last, sink)?;
        self.pending = last;
        self.pending.clear();
        loop {
            let (_, status) = self.step(&[], FlushCompress::Finish, sink)?;
            if status == Status::StreamEnd {
                return Ok(());
            }
        }
    }

    /// One call into the compressor; returns the input consumed and the
    /// status. Fails rather than loops forever if the compressor makes no
    /// progress (which would be a bug in it, but must not hang a build).
    fn step(&mut self, input: &[u8], flush: FlushCompress, sink: &mut dyn Write) -> io::Result<(usize, Status)> {
        let before_in = self.compress.total_in();
        let before_out = self.compress.total_out();
        let status = self.compress.compress(input, &mut self.buffer, flush).map_err(io::Error::other)?;
        let consumed = usize::try_from(self.compress.total_in() - before_in).map_err(io::Error::other)?;
        let produced = usize::try_from(self.compress.total_out() - before_out).map_err(io::Error::other)?;
        if let Some(output) = self.buffer.get(..produced) {
            sink.write_all(output)?;
        }
        if consumed == 0 && produced == 0 && status != Status::StreamEnd {
            return Err(io::Error::other("the deflate compressor made no progress"));
        }
        Ok((consumed, status))
    }
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
