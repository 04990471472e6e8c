//! An S3-compatible server of our own for a test: moto_server (PyPI `moto[server]`, installed by
//! `.ci/ensure-s3`) on a free local port with one bucket, stopped when dropped.
use clientdesk::storage::{S3Target, Store};
use std::time::Duration;

pub struct S3 {
    pub endpoint: String,
    pub bucket: String,
    child: std::process::Child,
}

fn moto_server() -> std::path::PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("moto_server"))
        .find(|p| p.is_file());
    on_path.unwrap_or_else(|| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
            format!("{}/.cache/clientdesk-target", std::env::var("HOME").unwrap_or_default())
        });
        std::path::PathBuf::from(target).join("venv-s3/bin/moto_server")
    })
}

impl S3 {
    pub async fn start() -> S3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server (.ci/ensure-s3 installs it)");
        let s3 = S3 { endpoint: format!("http://127.0.0.1:{port}"), bucket: "clientdesk-test".into(), child };
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        for _ in 0..300 {
            if client.get(&s3.endpoint).send().await.is_ok() {
                // object_store makes no buckets: an unsigned PUT, which moto takes.
                let made = client.put(format!("{}/{}", s3.endpoint, s3.bucket)).send().await.unwrap();
                assert!(made.status().is_success(), "creating the bucket: {}", made.status());
                return s3;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("moto_server did not answer on {}", s3.endpoint);
    }

    /// The app's store in this bucket, under `prefix`.
    pub fn store(&self, prefix: &str) -> Store {
        Store::s3(&S3Target {
            bucket: self.bucket.clone(),
            prefix: prefix.into(),
            endpoint: self.endpoint.clone(),
            region: "us-east-1".into(),
            access_key: "testing".into(),
            secret_key: "testing".into(),
        })
        .unwrap()
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
