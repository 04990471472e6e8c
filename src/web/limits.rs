//! Limits on what one client may hold open at once.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most `max` open things per key (e.g. live streams per session); each is a `Slot` that gives
/// its place back when dropped.
pub struct PerKey {
    max: usize,
    open: Mutex<HashMap<String, usize>>,
}

pub struct Slot {
    owner: Arc<PerKey>,
    key: String,
}

impl PerKey {
    pub fn new(max: usize) -> Arc<PerKey> {
        Arc::new(PerKey { max, open: Mutex::new(HashMap::new()) })
    }

    /// A place for `key`, or None when it holds `max` already.
    pub fn take(self: &Arc<Self>, key: &str) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key.to_string()).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot { owner: self.clone(), key: key.to_string() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.owner.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// At most `max` requests per key in each window of `window` (e.g. licence checks per client
/// address and minute). Keys of windows that have ended are dropped as new ones come.
pub struct Rate {
    max: u32,
    window: std::time::Duration,
    seen: Mutex<HashMap<String, (std::time::Instant, u32)>>,
}

impl Rate {
    pub fn new(max: u32, window: std::time::Duration) -> Rate {
        Rate { max, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Count a request of `key`: Ok, or Err with the seconds until its window ends.
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        let now = std::time::Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            return Err((self.window - now.duration_since(entry.0)).as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rate_refuses_beyond_its_count_per_window_and_per_key() {
        let rate = super::Rate::new(3, std::time::Duration::from_secs(60));
        for _ in 0..3 {
            assert!(rate.hit("a").is_ok());
        }
        let wait = rate.hit("a").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(rate.hit("b").is_ok(), "another key has its own count");
        let short = super::Rate::new(1, std::time::Duration::from_millis(20));
        assert!(short.hit("a").is_ok() && short.hit("a").is_err());
        std::thread::sleep(std::time::Duration::from_millis(25));
        assert!(short.hit("a").is_ok(), "a new window starts anew");
    }

    #[test]
    fn places_come_back_when_dropped() {
        let limit = super::PerKey::new(2);
        let a = limit.take("s").unwrap();
        let _b = limit.take("s").unwrap();
        assert!(limit.take("s").is_none());
        assert!(limit.take("other").is_some());
        drop(a);
        assert!(limit.take("s").is_some());
    }
}
