//! Upload and download throughput of a 100 MB file through the real routes, on the local store
//! and on an S3 server (moto), with the process's peak memory (issue 12): it must stay flat,
//! not grow with the file. The same runs with a 10 MB file for comparison. Client and server
//! share the process; the client streams its body from a generator and counts the download
//! without keeping it, so what grows is the server's.
use clientdesk::storage::Store;
use clientdesk::web::config::Config;
use clientdesk::web::state::AppState;
use std::time::Instant;

#[path = "../../tests/it/common/s3.rs"]
mod s3;

const MIB: usize = 1024 * 1024;
const BOUNDARY: &str = "----clientdesk-bench-boundary";

/// KiB from /proc/self/status.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Start counting the peak anew (Linux: 5 → clear_refs resets VmHWM to the current RSS).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn body(size: usize) -> reqwest::Body {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let chunks = size / MIB;
    let stream = futures::stream::iter(
        std::iter::once(head.into_bytes())
            .chain((0..chunks).map(|i| vec![(i % 251) as u8; MIB]))
            .chain(std::iter::once(tail.into_bytes()))
            .map(Ok::<_, std::io::Error>),
    );
    reqwest::Body::wrap_stream(stream)
}

async fn run(name: &str, store: Store, size_mb: usize) {
    let dir = std::env::temp_dir().join(format!("clientdesk-bench-files-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = clientdesk::db::connect(&format!("sqlite://{}/f.db?mode=rwc", dir.display())).await.unwrap();
    clientdesk::db::migrate(&db).await.unwrap();
    clientdesk::staff::service::add_staff(&db, "bench@x.test", "Bench", "bench-passwort-1", "administrator")
        .await
        .unwrap();
    clientdesk::customers::service::seed::seed_customers(&db, 1, 1).await.unwrap();
    let (server, base) = super::web::serve_with(|addr| {
        let mut config = Config::for_tests(addr, dir.clone());
        config.upload_max_mb = 200;
        AppState::new(db, config).unwrap().with_store(store)
    })
    .await;
    let client = super::web::logged_in(&base, "bench@x.test", "bench-passwort-1").await;
    let size = size_mb * MIB;

    let before = status_kib("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let res = client
        .post(format!("{base}/files/customers/1"))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body(size))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    let up = started.elapsed().as_secs_f64();
    let up_peak = status_kib("VmHWM:").saturating_sub(before);
    println!("BENCH files_upload_{size_mb}mb_{name} {:.0} MB/s", size_mb as f64 / up);
    println!("BENCH files_upload_{size_mb}mb_{name}_peak_rss_growth {:.1} MiB", up_peak as f64 / 1024.0);

    let before = status_kib("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let mut res = client.get(format!("{base}/files/customers/1/1")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut got = 0usize;
    while let Some(chunk) = res.chunk().await.unwrap() {
        got += chunk.len();
    }
    assert!(got > size, "the whole file came back");
    let down = started.elapsed().as_secs_f64();
    let down_peak = status_kib("VmHWM:").saturating_sub(before);
    println!("BENCH files_download_{size_mb}mb_{name} {:.0} MB/s", size_mb as f64 / down);
    println!("BENCH files_download_{size_mb}mb_{name}_peak_rss_growth {:.1} MiB", down_peak as f64 / 1024.0);
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// BENCH_ONLY=files: 10 MB and 100 MB, local store and S3.
pub async fn files_only() {
    for size in [10, 100] {
        let dir = std::env::temp_dir().join("clientdesk-bench-store");
        let _ = std::fs::remove_dir_all(&dir);
        run("local", Store::local(&dir).unwrap(), size).await;
        let _ = std::fs::remove_dir_all(&dir);
        let moto = s3::S3::start().await;
        run("s3", moto.store("bench"), size).await;
    }
}
