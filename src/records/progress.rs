//! Steps of a long run (a merge, an erasure) as it goes: the service reports each area done,
//! the server function forwards the steps as live events, and the open panel shows them.
use crate::live::{LiveEvent, bus::Bus};
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

#[derive(Clone, Default)]
pub struct Progress(Option<UnboundedSender<(u32, u32)>>);

impl Progress {
    /// Nobody watches (tests, benchmarks).
    pub fn none() -> Progress {
        Progress(None)
    }

    /// Steps published as live events of `run` on the customer; the task ends with the run.
    pub fn live(bus: Arc<Bus>, customer_id: i32, run: &'static str, by: &str) -> Progress {
        let (tx, mut rx) = unbounded_channel::<(u32, u32)>();
        let by = by.to_string();
        tokio::spawn(async move {
            while let Some((done, total)) = rx.recv().await {
                bus.publish(LiveEvent::progress(customer_id, run, &by, done, total)).await;
            }
        });
        Progress(Some(tx))
    }

    pub fn step(&self, done: usize, total: usize) {
        if let Some(tx) = &self.0 {
            let _ = tx.send((done as u32, total as u32));
        }
    }
}
