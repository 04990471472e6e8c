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

#[cfg(test)]
mod tests {
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
