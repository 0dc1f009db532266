//! The binary format records are shipped in, shared with a C collector.

/// The fixed part of a shipped record, read by C code as a struct.
#[repr(C)]
pub struct WireRecord {
    /// 0 = INFO, 1 = WARN, 2 = ERROR.
    pub level: u8,
    /// Milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// Index of the source in the string table.
    pub source: u16,
    /// How long the logged operation took, in milliseconds.
    pub millis: u64,
    /// Set when more records follow in the same frame.
    pub more: bool,
}

/// Already ordered by alignment: nothing to gain.
#[repr(C)]
pub struct FrameHeader {
    pub length: u64,
    pub records: u32,
    pub version: u8,
    pub flags: u8,
}

/// What a collector sends back.
pub enum Reply {
    /// The frame was stored.
    Ack(u64),
    /// Send the frame again.
    Retry,
    /// The collector's full state, for debugging.
    Dump([u8; 4096]),
}

/// An expression tree of filters: recursion needs the boxes.
pub enum Filter {
    Level(u8),
    Not(Box<Filter>),
    And(Box<Filter>, Box<Filter>),
}
