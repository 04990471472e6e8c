//! Dateien: uploads streamed into the object store, typed by content and size-limited; downloads
//! as attachments for staff and, once released, for the customer; expiry and erasure delete the
//! objects. On a local folder and on an S3 server (moto, started per test).
use crate::common::server::{EMAIL, call, login, start_configured};
use crate::common::{self, TestDb};
use clientdesk::customers::areas::files::service as files;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::db::entities::customer_file;
use clientdesk::storage::Store;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// A `multipart/form-data` body: (field, file name, bytes); the content type with its boundary.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----clientdesk-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn upload(
    c: &reqwest::Client,
    base: &str,
    customer: i32,
    parts: &[(&str, Option<&str>, &[u8])],
) -> reqwest::Response {
    let (kind, body) = multipart(parts);
    let size = body.len();
    c.post(format!("{base}/files/customers/{customer}"))
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("uploading {size} bytes: {e:?}"))
}

async fn rows(db: &clientdesk::db::Db, customer: i32) -> Vec<customer_file::Model> {
    customer_file::Entity::find()
        .filter(customer_file::Column::CustomerId.eq(customer))
        .all(db)
        .await
        .unwrap()
}

/// The row's forms without JavaScript: a past date is refused with the reason and saves nothing,
/// a release saves and says so, an old version is a conflict, send and delete work.
async fn a_file_changes_through_plain_forms(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 62).await.unwrap();
    let srv = start_configured(t.db.clone(), |_| {}).await;
    let staff = login(&srv).await;
    let res = upload(&staff, &srv.base, 1, &[("file", Some("plan.pdf"), PDF)]).await;
    assert_eq!(res.status(), 303);
    let file = rows(&t.db, 1).await.remove(0);
    let url = format!("{}/files/customers/1/{}/change", srv.base, file.id);
    let version = file.version.to_string();
    let post = |form: Vec<(&'static str, String)>| staff.post(&url).form(&form).send();

    let past = vec![
        ("do", "flags".into()),
        ("may_download", "on".into()),
        ("expires_on", "2020-01-01".into()),
        ("version", version.clone()),
    ];
    let res = post(past).await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Das Löschdatum darf nicht in der Vergangenheit liegen."));
    assert!(!rows(&t.db, 1).await[0].customer_may_download, "nothing saved");

    let release = vec![
        ("do", "flags".into()),
        ("may_download", "on".into()),
        ("expires_on", "2099-12-31".into()),
        ("version", version.clone()),
        ("page", "2".into()),
    ];
    let res = post(release.clone()).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/customers/1/files?done=saved&page=2");
    let row = rows(&t.db, 1).await.remove(0);
    assert!(row.customer_may_download);
    assert_eq!(row.expires_on.map(|d| d.to_string()).as_deref(), Some("2099-12-31"));
    let stale = post(release).await.unwrap();
    assert_eq!(stale.status(), 409, "the form's version is old");
    assert!(stale.text().await.unwrap().contains("Die Datei wurde inzwischen geändert."));

    let sent = post(vec![("do", "send".into())]).await.unwrap();
    assert_eq!(sent.headers()["location"], "/customers/1/files?done=sent");
    let deleted = post(vec![("do", "delete".into())]).await.unwrap();
    assert_eq!(deleted.headers()["location"], "/customers/1/files?done=deleted");
    assert!(rows(&t.db, 1).await.is_empty());
    let again = post(vec![("do", "delete".into())]).await.unwrap();
    assert_eq!(again.status(), 404);
    t.finish().await;
}
db_test!(a_file_changes_through_plain_forms);

/// Staff upload two files; one is released; the customer downloads it, the other and another
/// customer's requests are refused as "not found"; withdrawing refuses it again.
async fn a_released_file_reaches_the_customer_and_nothing_else_does(t: TestDb) {
    use common::portal::{customer_with_password, login_step};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 61).await.unwrap();
    let srv = start_configured(t.db.clone(), |_| {}).await;
    let staff = login(&srv).await;
    let text = "Zugangsdaten folgen getrennt.\nGrüße".as_bytes();
    let res = upload(
        &staff,
        &srv.base,
        1,
        &[
            ("expires_on", None, b""),
            ("file", Some("Angebot März.pdf"), PDF),
            ("file", Some("notiz.txt"), text),
        ],
    )
    .await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/customers/1/files?uploaded=2");
    let page = call(&staff, &srv.base, "customer_files", json!({"id": 1, "page": 1})).await;
    assert_eq!(page["total"], 2, "{page}");
    let by_name = |n: &str| page["rows"].as_array().unwrap().iter().find(|r| r["name"] == n).unwrap().clone();
    let (pdf, txt) = (by_name("Angebot März.pdf"), by_name("notiz.txt"));
    assert_eq!(pdf["content_type"], "application/pdf");
    assert_eq!(txt["content_type"], "text/plain; charset=utf-8");
    assert_eq!(pdf["size"], PDF.len());
    assert_eq!(pdf["uploaded_by"], "Anna Albers");
    assert_eq!(pdf["customer_may_download"], false);

    let got = staff.get(format!("{}/files/customers/1/{}", srv.base, pdf["id"])).send().await.unwrap();
    assert_eq!(got.status(), 200);
    let h = got.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"Angebot M_rz.pdf\"; filename*=UTF-8''Angebot%20M%C3%A4rz.pdf"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"].to_str().unwrap().starts_with("sandbox"));
    assert!(h.get("content-encoding").is_none(), "downloads are sent as stored");
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF);
    // Another customer's path does not reach the file.
    let wrong = staff.get(format!("{}/files/customers/2/{}", srv.base, pdf["id"])).send().await.unwrap();
    assert_eq!(wrong.status(), 404);

    let flags = json!({"customer_may_download": true, "expires_on": "", "version": pdf["version"]});
    let saved =
        call(&staff, &srv.base, "save_file_flags", json!({"id": 1, "file": pdf["id"], "flags": flags})).await;
    assert!(saved.is_null(), "{saved}");
    // The same version again is a conflict, and changes nothing.
    let again =
        call(&staff, &srv.base, "save_file_flags", json!({"id": 1, "file": pdf["id"], "flags": flags})).await;
    assert!(again.to_string().contains("Conflict"), "{again}");

    let (customer, email) = customer_with_password(&staff, &srv.base, &t.db, 1).await;
    assert_eq!(login_step(&customer, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let listed = call(&customer, &srv.base, "portal_files", json!({"page": 1})).await;
    assert_eq!(listed["rows"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["rows"][0]["name"], "Angebot März.pdf");
    let down = customer.get(format!("{}/portal/files/{}", srv.base, pdf["id"])).send().await.unwrap();
    assert_eq!(down.status(), 200);
    assert_eq!(down.bytes().await.unwrap().as_ref(), PDF);
    let hidden = customer.get(format!("{}/portal/files/{}", srv.base, txt["id"])).send().await.unwrap();
    assert_eq!(hidden.status(), 404, "an unreleased file is not found");
    let log = clientdesk::db::entities::event::Entity::find()
        .filter(clientdesk::db::entities::event::Column::Kind.eq("file_downloaded"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].ip.as_deref(), Some("127.0.0.1"));

    let (other, other_email) = customer_with_password(&staff, &srv.base, &t.db, 2).await;
    assert_eq!(login_step(&other, &srv.base, &other_email, "kunden-passwort-1").await, "/portal");
    let foreign = other.get(format!("{}/portal/files/{}", srv.base, pdf["id"])).send().await.unwrap();
    assert_eq!(foreign.status(), 404, "another customer's file is not found");

    let now = call(&staff, &srv.base, "customer_files", json!({"id": 1, "page": 1})).await;
    let version =
        now["rows"].as_array().unwrap().iter().find(|r| r["id"] == pdf["id"]).unwrap()["version"].clone();
    let withdraw = json!({"customer_may_download": false, "expires_on": "", "version": version});
    call(&staff, &srv.base, "save_file_flags", json!({"id": 1, "file": pdf["id"], "flags": withdraw})).await;
    let gone = customer.get(format!("{}/portal/files/{}", srv.base, pdf["id"])).send().await.unwrap();
    assert_eq!(gone.status(), 404);
    // Both changes of the flag are in the Verlauf.
    let changes = clientdesk::db::entities::change::Entity::find()
        .filter(clientdesk::db::entities::change::Column::Entity.eq("file"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(changes.len(), 2, "released, withdrawn");
    let _ = EMAIL;
    t.finish().await;
}
db_test!(a_released_file_reaches_the_customer_and_nothing_else_does);

/// Programs are refused whatever their name (415), files over the limit (413) and too many
/// files (413) store nothing and leave no object; a hostile name is kept only as clean text.
async fn uploads_are_typed_by_content_and_limited_in_size_and_number(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 62).await.unwrap();
    let srv = start_configured(t.db.clone(), |c| {
        c.upload_max_mb = 1;
        c.upload_max_files = 2;
    })
    .await;
    // A fresh connection for every request: a refused upload may leave its connection closing.
    let staff = common::server::login_unpooled(&srv).await;
    let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    exe.resize(4096, 0x41);
    let res = upload(&staff, &srv.base, 1, &[("file", Some("rechnung.pdf"), &exe)]).await;
    assert_eq!(res.status(), 415);
    let page = res.text().await.unwrap();
    assert!(page.contains("keine erlaubte Dateiart"), "{page}");
    assert!(page.contains("href=\"/customers/1/files\""), "{page}");

    let big = vec![b'a'; 1024 * 1024 + 1];
    let res = upload(&staff, &srv.base, 1, &[("file", Some("gross.txt"), &big)]).await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("größer als 1 MB"));

    let small: &[u8] = b"klein";
    let res = upload(
        &staff,
        &srv.base,
        1,
        &[("file", Some("a.txt"), small), ("file", Some("b.txt"), small), ("file", Some("c.txt"), small)],
    )
    .await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("höchstens 2 Dateien"));

    let res =
        upload(&staff, &srv.base, 1, &[("expires_on", None, b"2020-01-01"), ("file", Some("a.txt"), small)])
            .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Vergangenheit"));
    assert!(rows(&t.db, 1).await.is_empty(), "nothing refused was stored");

    // Every object written for a refused upload is gone from the store.
    let store = Store::local(&std::env::temp_dir().join("files")).unwrap();
    let listed: Vec<(String,)> = {
        use sea_orm::{ConnectionTrait, Statement};
        let sql = "SELECT storage_key FROM object_cleanup WHERE reason = 'upload'";
        let found =
            t.db.query_all_raw(Statement::from_string(t.db.get_database_backend(), sql)).await.unwrap();
        found.into_iter().map(|r| (r.try_get::<String>("", "storage_key").unwrap(),)).collect()
    };
    assert!(listed.len() >= 4, "each stored attempt was listed first: {listed:?}");
    for (key,) in &listed {
        assert!(!store.exists(key).await.unwrap(), "{key} is still stored");
    }

    // Over the whole request's limit (2 × 1 MiB + 1 MiB): 413 on the declared length alone,
    // before the session is looked up or a byte of the body read (only the head is sent).
    let head = format!(
        "POST /files/customers/1 HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=x\r\n\
         Content-Length: {}\r\n\r\n",
        srv.base.trim_start_matches("http://"),
        3 * 1024 * 1024 + 10
    );
    let mut stream = tokio::net::TcpStream::connect(srv.base.trim_start_matches("http://")).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 1024];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]).to_string();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.to_lowercase().contains("connection: close"), "{answer}");
    let anonymous = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    // Every other route keeps its 256 KiB, also next to the upload route's larger one.
    let note = "x".repeat(clientdesk::server::router::BODY_LIMIT + 1);
    let res = anonymous.post(format!("{}/files/customers/1/1", srv.base)).body(note).send().await.unwrap();
    assert_eq!(res.status(), 413);

    let res = upload(
        &staff,
        &srv.base,
        1,
        &[("may_download", None, b"on"), ("file", Some("../../x<script>.pdf"), PDF)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let stored = rows(&t.db, 1).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].name, "x_script_.pdf");
    assert!(stored[0].customer_may_download);
    assert!(stored[0].storage_key.starts_with("f/") && !stored[0].storage_key.contains("script"));
    assert_eq!(store.read_all(&stored[0].storage_key).await.unwrap(), PDF);
    assert_eq!(stored[0].sha256, clientdesk_sha256(PDF));
    t.finish().await;
}
db_test!(uploads_are_typed_by_content_and_limited_in_size_and_number);

fn clientdesk_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Store an object and give it a row, as an upload does.
pub async fn stored_file(
    t: &TestDb,
    store: &Store,
    customer: i32,
    name: &str,
    bytes: &[u8],
) -> (i32, String) {
    let key = Store::new_key();
    let mut w = store.writer(&key).await.unwrap();
    w.write(bytes).await.unwrap();
    let done = w.finish().await.unwrap();
    let upload = clientdesk::storage::upload::Upload {
        key: key.clone(),
        name: name.into(),
        size: done.size as i64,
        content_type: "text/plain; charset=utf-8".into(),
        sha256: done.sha256,
    };
    let ids = files::register(&t.ctx(), 1, customer, &[upload], true, None).await.unwrap();
    (ids[0], key)
}

/// Deleting, expiring and erasing remove the rows at once and the objects with the clean-up
/// worker's next round; an expiry today keeps the file until tomorrow.
pub async fn deleting_expiring_and_erasing_remove_the_objects(t: &TestDb, store: &Store) {
    use clientdesk::customers::areas::erase::service::erase;
    use clientdesk::storage::cleanup::run_due;
    use sea_orm::TransactionTrait;
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 63).await.unwrap();
    let (deleted, deleted_key) = stored_file(t, store, 1, "weg.txt", b"weg").await;
    let (expiring, expiring_key) = stored_file(t, store, 1, "bald.txt", b"bald").await;
    let (_, erased_key) = stored_file(t, store, 2, "kunde2.txt", b"zwei").await;
    assert!(store.exists(&deleted_key).await.unwrap());

    files::delete(&t.ctx(), 1, 1, deleted).await.unwrap();
    assert!(store.exists(&deleted_key).await.unwrap(), "the object goes with the worker");
    assert_eq!(run_due(&t.db, store, chrono::Utc::now(), 100).await.unwrap(), 1);
    assert!(!store.exists(&deleted_key).await.unwrap());

    let today = files::today();
    let current = files::find(&t.db, 1, expiring).await.unwrap();
    let flags = clientdesk::customers::areas::files::model::FileFlags {
        customer_may_download: true,
        expires_on: today.to_string(),
        version: current.version,
    };
    files::set_flags(&t.ctx(), clientdesk::events::actor::Actor::Staff(1), 1, expiring, &flags)
        .await
        .unwrap();
    let txn = t.db.begin().await.unwrap();
    assert_eq!(files::expire_due(&txn, today).await.unwrap(), 0, "still there on its last day");
    assert_eq!(files::expire_due(&txn, today + chrono::Days::new(1)).await.unwrap(), 1);
    txn.commit().await.unwrap();
    assert!(rows(&t.db, 1).await.is_empty());
    assert_eq!(run_due(&t.db, store, chrono::Utc::now(), 100).await.unwrap(), 1);
    assert!(!store.exists(&expiring_key).await.unwrap());

    let detail = clientdesk::customers::service::detail(&t.db, 2).await.unwrap();
    let request = clientdesk::records::model::ErasureRequest {
        customer_id: 2,
        version: detail.version,
        request_ref: "Ticket 4711".into(),
        hard_delete: false,
    };
    erase(&t.ctx(), 1, &request, &clientdesk::records::progress::Progress::none()).await.unwrap();
    assert!(rows(&t.db, 2).await.is_empty());
    assert_eq!(run_due(&t.db, store, chrono::Utc::now(), 100).await.unwrap(), 1);
    assert!(!store.exists(&erased_key).await.unwrap());
}

async fn objects_go_with_their_rows_on_the_local_store(t: TestDb) {
    let dir = std::env::temp_dir().join(format!("clientdesk-files-{}", common::server::rand_suffix()));
    let store = Store::local(&dir).unwrap();
    deleting_expiring_and_erasing_remove_the_objects(&t, &store).await;
    let _ = std::fs::remove_dir_all(dir);
    t.finish().await;
}
db_test!(objects_go_with_their_rows_on_the_local_store);

async fn objects_go_with_their_rows_on_s3(t: TestDb) {
    let s3 = common::s3::S3::start().await;
    let store = s3.store("t");
    deleting_expiring_and_erasing_remove_the_objects(&t, &store).await;
    t.finish().await;
}
db_test!(objects_go_with_their_rows_on_s3);

/// A file of several parts (12 MiB, parts of 5 MiB) goes into the bucket by upload and comes
/// back byte for byte.
async fn a_large_file_goes_through_s3_and_back(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 64).await.unwrap();
    let s3 = common::s3::S3::start().await;
    let srv = common::server::start_with_store(t.db.clone(), s3.store("app"), |_| {}).await;
    let staff = login(&srv).await;
    let mut bytes = PDF.to_vec();
    bytes.extend((0..12 * 1024 * 1024u32).map(|i| (i % 251) as u8));
    let res = upload(&staff, &srv.base, 1, &[("file", Some("gross.pdf"), &bytes)]).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    let row = rows(&t.db, 1).await.remove(0);
    assert_eq!(row.size, bytes.len() as i64);
    assert_eq!(row.sha256, clientdesk_sha256(&bytes));
    assert_eq!(s3.store("app").read_all(&row.storage_key).await.unwrap().len(), bytes.len());
    let got = staff.get(format!("{}/files/customers/1/{}", srv.base, row.id)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-length"], bytes.len().to_string().as_str());
    assert!(got.bytes().await.unwrap().as_ref() == bytes.as_slice(), "the same bytes come back");
    t.finish().await;
}
db_test!(a_large_file_goes_through_s3_and_back);

/// A file goes to the customer by mail with its bytes attached; one too large for a mail is
/// refused and queues nothing.
async fn a_file_is_sent_by_mail_with_its_bytes(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 1, 65).await.unwrap();
    let dir = std::env::temp_dir().join(format!("clientdesk-files-{}", common::server::rand_suffix()));
    let store = Store::local(&dir).unwrap();
    // Bytes no mail carries as text: the sender base64-encodes them.
    let mut owned = PDF.to_vec();
    owned.extend([0u8, 0xff, 0xfe, 7, 200, 13, 10, 0]);
    let bytes = owned.as_slice();
    let (id, _) = stored_file(&t, &store, 1, "Zugang März.txt", bytes).await;
    let mail = files::send_by_mail(&t.ctx(), 1, 1, id).await.unwrap();
    let row =
        clientdesk::db::entities::mail_outbox::Entity::find_by_id(mail).one(&t.db).await.unwrap().unwrap();
    assert_eq!(clientdesk::mail::outbox::to_row(row).attachments, vec!["Zugang März.txt".to_string()]);
    let sent = common::server::deliver_mail_from(&t.db, Some(store.clone())).await;
    assert_eq!(sent.len(), 1);
    let eml = &sent[0];
    assert!(eml.contains("multipart/mixed"), "{eml}");
    assert!(eml.contains("Zugang"), "{eml}");
    // The attachment's bytes, base64 in the mail, are the stored ones.
    let encoded = {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    };
    assert!(eml.replace("\r\n", "").contains(&encoded), "{eml}");
    let status =
        clientdesk::db::entities::mail_outbox::Entity::find_by_id(mail).one(&t.db).await.unwrap().unwrap();
    assert_eq!(status.status, "sent");

    // Over the mail limit: refused, nothing queued.
    let big = vec![b'a'; (files::MAIL_ATTACH_MAX + 1) as usize];
    let (large, _) = stored_file(&t, &store, 1, "gross.txt", &big).await;
    let refused = files::send_by_mail(&t.ctx(), 1, 1, large).await.unwrap_err();
    assert!(
        matches!(&refused, clientdesk::error::AppError::Validation(e) if e[0].key == "files.too_large_for_mail")
    );
    let queued = clientdesk::db::entities::mail_outbox::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(queued.len(), 1);
    let _ = std::fs::remove_dir_all(dir);
    t.finish().await;
}
db_test!(a_file_is_sent_by_mail_with_its_bytes);

/// A release's file reaches a customer whose active licence covers it (the version bought, or a
/// release within the update service) while "products downloadable" is on; nothing else does.
async fn release_downloads_follow_the_licence(t: TestDb) {
    use clientdesk::catalogue::model::{ProductInput, ReleaseInput};
    use clientdesk::customers::areas::products::model::{BillingCycle, LicenceInput, LicenceStatus};
    use clientdesk::customers::service::{Actor, detail, today, update};
    use common::portal::{customer_with_password, login_step};
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 66).await.unwrap();
    let product = ProductInput {
        slug: "shopx".into(),
        name: "ShopX".into(),
        active: true,
        update_term_months: 12,
        max_bindings: 1,
        ..Default::default()
    };
    let p = clientdesk::catalogue::service::save(&t.db, &product).await.unwrap();
    let release = |version: &str, on: &str| ReleaseInput {
        version: version.into(),
        released_on: on.into(),
        notes: String::new(),
    };
    let mut releases = Vec::new();
    for (v, on) in [("2.0", "2026-01-10"), ("3.0", "2026-06-01"), ("9.0", "2028-01-01")] {
        releases
            .push(clientdesk::catalogue::service::add_release(&t.db, 1, p, &release(v, on)).await.unwrap());
    }
    let licence = |update_service: bool| LicenceInput {
        product_id: p,
        version_bought: "2.0".into(),
        current_version: "2.0".into(),
        contract_date: "2026-01-31".into(),
        status: LicenceStatus::Active,
        billing_cycle: BillingCycle::Yearly,
        update_service,
        ..Default::default()
    };
    let save = clientdesk::customers::areas::products::service::save;
    save(&t.ctx(), Actor::Staff(1), 1, &licence(true)).await.unwrap();
    save(&t.ctx(), Actor::Staff(1), 2, &licence(false)).await.unwrap();

    let srv = start_configured(t.db.clone(), |_| {}).await;
    let staff = login(&srv).await;
    for (i, r) in releases.iter().enumerate() {
        let bytes = [PDF, format!("release {i}").as_bytes()].concat();
        let (kind, body) = multipart(&[("file", Some(&format!("shopx-{i}.pdf")), &bytes)]);
        let res = staff
            .post(format!("{}/settings/releases/{r}/file", srv.base))
            .header("content-type", kind)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{:?}", res.text().await);
    }
    let fetch = |c: &reqwest::Client, r: i32| {
        let url = format!("{}/portal/downloads/{r}", srv.base);
        let c = c.clone();
        async move {
            let res = c.get(url).send().await.unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
        }
    };
    let (with_service, email) = customer_with_password(&staff, &srv.base, &t.db, 1).await;
    assert_eq!(login_step(&with_service, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let page = call(&with_service, &srv.base, "portal_products", json!({"page": 1})).await;
    assert_eq!(page["licences"][0]["download"]["version"], "3.0", "{page}");
    let (status, bytes) = fetch(&with_service, releases[1]).await;
    assert_eq!((status, bytes), (200, [PDF, b"release 1"].concat()));
    assert_eq!(fetch(&with_service, releases[0]).await.0, 200, "the version bought");
    assert_eq!(fetch(&with_service, releases[2]).await.0, 404, "released after the update service ends");

    let (without, email) = customer_with_password(&staff, &srv.base, &t.db, 2).await;
    assert_eq!(login_step(&without, &srv.base, &email, "kunden-passwort-1").await, "/portal");
    let page = call(&without, &srv.base, "portal_products", json!({"page": 1})).await;
    assert_eq!(page["licences"][0]["download"]["version"], "2.0", "{page}");
    assert_eq!(fetch(&without, releases[1]).await.0, 404, "no update service");
    assert_eq!(fetch(&without, releases[0]).await.0, 200);

    // "Products downloadable" off: nothing.
    let d = detail(&t.db, 1).await.unwrap();
    let mut form = d.form.clone();
    form.products_downloadable = false;
    update(&t.ctx(), Actor::Staff(1), 1, d.version, &form, today()).await.unwrap();
    assert_eq!(fetch(&with_service, releases[1]).await.0, 404);
    let page = call(&with_service, &srv.base, "portal_products", json!({"page": 1})).await;
    assert!(page["licences"][0]["download"].is_null(), "{page}");
    t.finish().await;
}
db_test!(release_downloads_follow_the_licence);
