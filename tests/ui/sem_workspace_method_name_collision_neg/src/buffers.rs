use std::sync::Mutex;

/// Recycles encode buffers between requests; allocates when the free list is empty.
#[derive(Default)]
pub struct BufferPool {
    free: Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    pub fn get(&self) -> Vec<u8> {
        self.free.lock().unwrap().pop().unwrap_or_else(|| Vec::with_capacity(64 * 1024))
    }

    pub fn put(&self, mut buf: Vec<u8>) {
        buf.clear();
        self.free.lock().unwrap().push(buf);
    }
}
