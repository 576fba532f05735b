//! The shelf: values packed side by side in large chunks between stages (parsed files,
//! function bodies, walked functions' facts), each taken back by its `Slot`.

use serde::{Deserialize, Serialize};

/// Values packed side by side in large chunks, by many threads at once: how parsed files,
/// function bodies and walked functions' facts leave the worker that made them. Packed one by
/// one, each value's bytes would be an allocation of its own among the freed nodes of the
/// syntax trees and bodies the worker also builds, and would keep those pages resident; here
/// the workers' own allocations are all freed by the end of the stage.
#[derive(Default)]
pub(crate) struct Shelf {
    /// Each chunk with the number of values put in it.
    chunks: std::sync::Mutex<Vec<(Vec<u8>, u32)>>,
}

/// Where a value was put on a shelf.
#[derive(Serialize, Deserialize)]
pub(crate) struct Slot<T> {
    chunk: u32,
    start: u32,
    len: u32,
    #[serde(skip)]
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slot<T> {}

impl<T> std::fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Slot({}:{}+{})", self.chunk, self.start, self.len)
    }
}

/// A shelf no one puts on any more: read without locking. A chunk is freed once every value
/// in it has been taken.
#[derive(Default)]
pub(crate) struct Shelved {
    chunks: Vec<(Option<Vec<u8>>, u32)>,
}

const CHUNK: usize = 1 << 20;

thread_local! {
    /// Where a value is serialized before it is copied onto the shelf: one buffer per thread,
    /// reused, so that packing allocates nothing.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Shelf {
    /// `None` only if the value cannot be serialized (never: it is plain data) or is over
    /// 4 GiB.
    pub(crate) fn put<T: Serialize>(&self, value: &T) -> Option<Slot<T>> {
        SCRATCH.with(|scratch| {
            let mut buf = std::mem::take(&mut *scratch.borrow_mut());
            buf.clear();
            let buf = postcard::to_extend(value, buf).ok()?;
            let slot = self.copy(&buf);
            *scratch.borrow_mut() = buf;
            slot
        })
    }

    fn copy<T>(&self, bytes: &[u8]) -> Option<Slot<T>> {
        let len = u32::try_from(bytes.len()).ok()?;
        let mut chunks = self.chunks.lock().ok()?;
        if chunks
            .last()
            .is_none_or(|(c, _)| c.capacity() - c.len() < bytes.len())
        {
            chunks.push((Vec::with_capacity(bytes.len().max(CHUNK)), 0));
        }
        let chunk = chunks.len() - 1;
        let (c, count) = &mut chunks[chunk];
        let start = u32::try_from(c.len()).ok()?;
        c.extend_from_slice(bytes);
        *count += 1;
        Some(Slot {
            chunk: chunk as u32,
            start,
            len,
            _t: std::marker::PhantomData,
        })
    }

    pub(crate) fn into_shelved(self) -> Shelved {
        let chunks = self.chunks.into_inner().unwrap_or_else(|e| e.into_inner());
        Shelved {
            chunks: chunks.into_iter().map(|(c, n)| (Some(c), n)).collect(),
        }
    }
}

impl Shelved {
    /// The value, left on the shelf.
    pub(crate) fn get<T: serde::de::DeserializeOwned>(&self, slot: &Slot<T>) -> Option<T> {
        let (start, len) = (slot.start as usize, slot.len as usize);
        let chunk = self.chunks.get(slot.chunk as usize)?.0.as_ref()?;
        postcard::from_bytes(chunk.get(start..start + len)?).ok()
    }

    /// The value, taken off the shelf: its chunk is freed when it was the last one there.
    pub(crate) fn take<T: serde::de::DeserializeOwned>(&mut self, slot: Slot<T>) -> Option<T> {
        let value = self.get(&slot);
        self.discard(slot);
        value
    }

    /// Forgets a value without reading it.
    pub(crate) fn discard<T>(&mut self, slot: Slot<T>) {
        if let Some((chunk, left)) = self.chunks.get_mut(slot.chunk as usize) {
            *left = left.saturating_sub(1);
            if *left == 0 {
                *chunk = None;
            }
        }
    }
}
