use std::sync::Mutex;
use std::time::Instant;

/// Token bucket per gateway instance; never waits.
pub struct TokenBucket {
    state: Mutex<(f64, Instant)>,
    capacity: f64,
    refill_per_sec: f64,
}

pub struct Token(());

impl TokenBucket {
    pub fn new(capacity: f64, refill_per_sec: f64) -> Self {
        Self {
            state: Mutex::new((capacity, Instant::now())),
            capacity,
            refill_per_sec,
        }
    }

    pub fn acquire(&self) -> Option<Token> {
        let mut state = self.state.lock().unwrap();
        let (tokens, last) = *state;
        let now = Instant::now();
        let refilled = (tokens + now.duration_since(last).as_secs_f64() * self.refill_per_sec).min(self.capacity);
        if refilled >= 1.0 {
            *state = (refilled - 1.0, now);
            Some(Token(()))
        } else {
            *state = (refilled, now);
            None
        }
    }
}
