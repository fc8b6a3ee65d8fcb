//! Streaming CSV reading with Excel's row numbering and encoding detection.
//!
//! The record splitter is our own rather than the `csv` crate's because that one skips
//! blank lines without telling, and Excel counts them: a row number in an error report
//! must match what the user sees when opening the file. Blank lines and quoted
//! line breaks are handled the way Excel does (a quoted break stays in one row).
//!
//! Bytes are split before decoding. This is safe for GB18030 too: its multi-byte
//! sequences never contain the bytes of `"`, `,`, CR or LF.

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::GB18030;

use crate::{IoError, RawRow, Result, io_reason};

/// A longer row is almost always an unmatched quote that ran to the end of the file.
pub(crate) const MAX_ROW_BYTES: usize = 1 << 20;

/// How much of the file decides between UTF-8 and GB18030.
const SNIFF_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Gb18030,
    /// Only ASCII seen yet: the first row with other bytes decides.
    AsciiSoFar,
}

#[derive(Debug, Clone, Copy)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: either an escaped quote or the closing one.
    QuoteInQuoted,
}

/// The sniffed start of the file, then the rest of it.
type Input = io::Chain<io::Cursor<Vec<u8>>, Box<dyn Read + Send>>;

pub(crate) struct CsvSource {
    input: BufReader<Input>,
    encoding: Encoding,
    /// Rows (records and blank lines) consumed so far: the number of the last row.
    rows: usize,
    /// The previous row ended with CR: a following LF belongs to it.
    skip_lf: bool,
    done: bool,
    /// Field bytes of the current record, back to back; `ends` marks where each ends.
    buf: Vec<u8>,
    ends: Vec<usize>,
}

enum RecordError {
    Io(io::Error),
    TooLong,
}

impl CsvSource {
    pub(crate) fn new(mut input: Box<dyn Read + Send>) -> Result<CsvSource> {
        let mut head = Vec::new();
        input
            .by_ref()
            .take(SNIFF_BYTES)
            .read_to_end(&mut head)
            .map_err(read_error)?;
        let (encoding, bom_len) = if head.starts_with(b"\xEF\xBB\xBF") {
            (Encoding::Utf8, 3)
        } else if head.starts_with(b"\x84\x31\x95\x33") {
            (Encoding::Gb18030, 4)
        } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(IoError::Utf16);
        } else if crate::is_spreadsheet(&head) {
            return Err(IoError::NotText);
        } else {
            (sniff(&head), 0)
        };
        head.drain(..bom_len);
        Ok(CsvSource {
            input: BufReader::with_capacity(64 * 1024, io::Cursor::new(head).chain(input)),
            encoding,
            rows: 0,
            skip_lf: false,
            done: false,
            buf: Vec::new(),
            ends: Vec::new(),
        })
    }

    pub(crate) fn encoding_name(&self) -> &'static str {
        match self.encoding {
            Encoding::Utf8 | Encoding::AsciiSoFar => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }

    pub(crate) fn next_raw(&mut self) -> Option<RawRow> {
        if self.done {
            return None;
        }
        let read = self.read_record();
        match read {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.rows += 1;
                Some(self.decode().map(|cells| (self.rows, cells)))
            }
            Err(e) => {
                self.done = true;
                Some(Err(match e {
                    RecordError::Io(e) => read_error(e),
                    RecordError::TooLong => IoError::RowTooLong {
                        row: self.rows + 1,
                        limit: MAX_ROW_BYTES,
                    },
                }))
            }
        }
    }

    /// Reads the next record's fields into `buf`/`ends`; false at end of input.
    fn read_record(&mut self) -> std::result::Result<bool, RecordError> {
        self.buf.clear();
        self.ends.clear();
        let mut state = State::FieldStart;
        let mut started = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(RecordError::Io(e)),
            };
            if chunk.is_empty() {
                if !started {
                    return Ok(false);
                }
                self.ends.push(self.buf.len());
                return Ok(true);
            }
            let mut i = 0;
            if self.skip_lf {
                self.skip_lf = false;
                if chunk[0] == b'\n' {
                    i = 1;
                }
            }
            let mut finished = false;
            while i < chunk.len() {
                let b = chunk[i];
                i += 1;
                started = true;
                let line_end = match state {
                    State::FieldStart => match b {
                        b'"' => {
                            state = State::Quoted;
                            false
                        }
                        b',' => {
                            self.ends.push(self.buf.len());
                            false
                        }
                        b'\r' | b'\n' => true,
                        _ => {
                            self.buf.push(b);
                            state = State::Unquoted;
                            false
                        }
                    },
                    State::Unquoted | State::QuoteInQuoted => match b {
                        b',' => {
                            self.ends.push(self.buf.len());
                            state = State::FieldStart;
                            false
                        }
                        b'\r' | b'\n' => true,
                        b'"' if matches!(state, State::QuoteInQuoted) => {
                            self.buf.push(b'"');
                            state = State::Quoted;
                            false
                        }
                        _ => {
                            // Text after a closing quote is kept, as Excel does.
                            self.buf.push(b);
                            state = State::Unquoted;
                            false
                        }
                    },
                    State::Quoted => {
                        if b == b'"' {
                            state = State::QuoteInQuoted;
                        } else {
                            self.buf.push(b);
                        }
                        false
                    }
                };
                if line_end {
                    self.skip_lf = b == b'\r';
                    finished = true;
                    break;
                }
            }
            self.input.consume(i);
            if finished {
                self.ends.push(self.buf.len());
                return Ok(true);
            }
            if self.buf.len() > MAX_ROW_BYTES {
                return Err(RecordError::TooLong);
            }
        }
    }

    fn decode(&mut self) -> Result<Vec<String>> {
        let row = self.rows;
        if self.encoding != Encoding::Gb18030 {
            match std::str::from_utf8(&self.buf) {
                Ok(text) => {
                    if self.encoding == Encoding::AsciiSoFar && !text.is_ascii() {
                        self.encoding = Encoding::Utf8;
                    }
                    let mut start = 0;
                    let cells = self
                        .ends
                        .iter()
                        .map(|&end| {
                            let cell = text[start..end].trim().to_owned();
                            start = end;
                            cell
                        })
                        .collect();
                    return Ok(cells);
                }
                Err(_) if self.encoding == Encoding::AsciiSoFar => {
                    self.encoding = Encoding::Gb18030;
                }
                Err(_) => return Err(IoError::BadEncoding { row }),
            }
        }
        let mut start = 0;
        let mut cells = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            let text = GB18030
                .decode_without_bom_handling_and_without_replacement(&self.buf[start..end])
                .ok_or(IoError::BadEncoding { row })?;
            cells.push(text.trim().to_owned());
            start = end;
        }
        Ok(cells)
    }
}

/// Decides the encoding from the start of the file.
///
/// GB18030 Chinese text is mostly invalid as UTF-8 (only about one character in six
/// happens to form a valid sequence), while a UTF-8 file with a damaged row has a few
/// invalid bytes among many valid characters. So the ratio decides, and a damaged row
/// in a UTF-8 file is reported as that row's error instead of garbling the whole file.
fn sniff(head: &[u8]) -> Encoding {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = head;
    loop {
        let (good, next) = match std::str::from_utf8(rest) {
            Ok(text) => (text, None),
            Err(e) => {
                let good = std::str::from_utf8(&rest[..e.valid_up_to()]).expect("valid prefix");
                // `None`: cut in the middle of a character at the sniff limit.
                let next = e.error_len().map(|len| e.valid_up_to() + len);
                (good, next)
            }
        };
        valid += good.chars().filter(|c| !c.is_ascii()).count();
        match next {
            Some(skip) => {
                invalid += 1;
                rest = &rest[skip..];
            }
            None => break,
        }
    }
    if invalid == 0 && valid == 0 {
        Encoding::AsciiSoFar
    } else if valid >= invalid.saturating_mul(4) {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    }
}

fn read_error(source: io::Error) -> IoError {
    IoError::Read {
        reason: io_reason(&source),
        source,
    }
}
