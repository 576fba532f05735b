// The v2 codec's files sit in `src/codec/`: an inline module with `#[path]` in a file that is
// not a `mod.rs` looks for its children from this file's folder.
#[path = "codec"]
mod v2 {
    pub mod frames;
}

#[cfg(all(doc, not(doctest)))]
#[path = "codec.md"]
pub mod design_notes;

pub use v2::frames::store_frame;
