//! Small answers the form handlers share: redirects that set cookies, the generic failure, and
//! the checks on where a redirect may go.
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// 303 to `location`, setting each cookie given.
pub fn see_other_with(location: &str, cookies: &[String]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response();
    for cookie in cookies.iter().filter_map(|c| HeaderValue::from_str(c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    see_other_with(location, cookie.as_slice())
}

/// Details are logged where they happen; the user sees no internals.
pub fn internal() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Why a plain form was refused: a small page in the user's language with its title (e.g.
/// `upload.refused`), the status, the message (already translated) and the way back.
pub fn refusal_page(
    locale: crate::i18n::Locale,
    (status, title_key): (StatusCode, &str),
    message: &str,
    back_href: &str,
    back_key: &str,
) -> Response {
    use crate::i18n::translate;
    let title = escape(&translate(locale, title_key));
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/clientdesk.css\"></head><body><main class=\"refusal\">\
         <h1>{title}</h1><p role=\"alert\">{message}</p><p><a href=\"{href}\">{back}</a></p></main></body></html>",
        lang = locale.code(),
        message = escape(message),
        href = escape(back_href),
        back = escape(&translate(locale, back_key)),
    );
    let policy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, policy)],
        body,
    )
        .into_response()
}

/// A service's refusal of a plain form as a page: the first field's message (400), the
/// conflict (409, `conflict_key`) or not found (404); a fault is the generic message (500).
pub fn form_refusal(
    locale: crate::i18n::Locale,
    error: &crate::error::AppError,
    conflict_key: &str,
    (back_href, back_key): (&str, &str),
) -> Response {
    use crate::error::AppError;
    let (status, key, args): (StatusCode, &str, Vec<(&str, &str)>) = match error {
        AppError::Validation(errors) => match errors.first() {
            Some(e) => (
                StatusCode::BAD_REQUEST,
                e.key.as_str(),
                e.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            ),
            None => (StatusCode::BAD_REQUEST, "error.validation", Vec::new()),
        },
        AppError::Conflict { .. } => (StatusCode::CONFLICT, conflict_key, Vec::new()),
        AppError::NotFound => (StatusCode::NOT_FOUND, "error.not_found", Vec::new()),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "error.forbidden", Vec::new()),
        other => {
            tracing::warn!(error = %other, "a plain form failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error.internal", Vec::new())
        }
    };
    let message = crate::i18n::translate_with(locale, key, &args);
    refusal_page(locale, (status, "form.refused"), &message, back_href, back_key)
}

pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from)
}

/// Only same-site paths are followed after a login (no open redirects): a path starting with
/// one `/`, of visible ASCII only. Browsers drop tabs and line breaks from URLs and read `\`
/// as `/`, so `/<tab>/evil.example` or `/\evil.example` would lead to another site.
pub fn safe_next_or<'a>(next: &'a str, fallback: &'a str) -> &'a str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if local { next } else { fallback }
}

/// Our own site as the browser names it: `scheme://host[:port]` of the configured base URL
/// (default ports left out, as browsers send them), and the `host[:port]` a Host header carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub origin: String,
    pub host: String,
}

impl Site {
    pub fn of(base_url: &str) -> Site {
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("http", base_url));
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = normal_host(&scheme, authority);
        Site { origin: format!("{scheme}://{host}"), host }
    }

    /// Whether a Host header names this site.
    pub fn is_host(&self, host: &str) -> bool {
        let scheme = self.origin.split("://").next().unwrap_or("http");
        normal_host(scheme, host) == self.host
    }

    /// Whether an Origin (or a Referer URL) is this site: scheme, host and port alike.
    pub fn is_origin_of(&self, source: &str) -> bool {
        let Some((scheme, rest)) = source.split_once("://") else { return false };
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        format!("{scheme}://{}", normal_host(&scheme, authority)) == self.origin
    }
}

/// A host with its port, lower case, without the scheme's default port.
fn normal_host(scheme: &str, authority: &str) -> String {
    let authority = authority.trim().to_ascii_lowercase();
    let default = match scheme {
        "https" => ":443",
        _ => ":80",
    };
    authority.strip_suffix(default).map(String::from).unwrap_or(authority)
}

/// The Content Security Policy of a page: scripts only from us or carrying this response's
/// nonce (Leptos puts it on its inline hydration scripts), WebAssembly allowed, nothing framed.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The nonce of a rendered page: the first `nonce="…"` attribute of a `<script>` or `<link>`
/// tag (never text a customer typed: that cannot open a tag).
pub fn page_nonce(html: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(html).ok()?;
    let at = text.find("nonce=\"")?;
    let tag = &text[text[..at].rfind('<')?..at];
    if !(tag.starts_with("<script ") || tag.starts_with("<link ")) || tag.contains('>') {
        return None;
    }
    let start = at + "nonce=\"".len();
    let len = text[start..].find('"')?;
    let nonce = &text[start..start + len];
    nonce.chars().all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c)).then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::safe_next_or;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next_or("/customers?q=a", "/x"), "/customers?q=a");
        assert_eq!(safe_next_or("/customers/7/data#notes", "/x"), "/customers/7/data#notes");
        // Known open-redirect payloads: scheme-relative, other schemes, backslashes, controls
        // and spaces a browser strips, bidi overrides and wide spaces.
        for bad in [
            "//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            " //evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{202e}/evil.example",
            "/\u{3000}/evil.example",
            "///evil.example",
            "",
        ] {
            assert_eq!(safe_next_or(bad, "/x"), "/x");
        }
    }

    #[test]
    fn the_site_is_the_base_urls_scheme_host_and_port() {
        use super::Site;
        let site = Site::of("https://Desk.Example.com:443/app");
        assert_eq!(site.origin, "https://desk.example.com");
        assert!(site.is_host("desk.example.com") && site.is_host("desk.example.com:443"));
        assert!(!site.is_host("evil.example") && !site.is_host("desk.example.com:8443") && !site.is_host(""));
        assert!(site.is_origin_of("https://desk.example.com"));
        assert!(site.is_origin_of("https://desk.example.com/customers?q=1"), "a Referer");
        for other in [
            "http://desk.example.com",
            "https://desk.example.com.evil.example",
            "https://evil.example",
            "null",
            "",
        ] {
            assert!(!site.is_origin_of(other), "{other}");
        }
        let local = Site::of("http://127.0.0.1:3000");
        assert!(local.is_host("127.0.0.1:3000") && !local.is_host("localhost:3000"));
        assert!(local.is_origin_of("http://127.0.0.1:3000") && !local.is_origin_of("http://127.0.0.1:3001"));
    }

    #[test]
    fn a_pages_nonce_is_read_from_its_scripts() {
        let html = br#"<html><head><script nonce="aB3+/x=">x</script><script nonce="zz"></script>"#;
        assert_eq!(super::page_nonce(html), Some("aB3+/x="));
        assert_eq!(super::page_nonce(b"<html>no scripts</html>"), None);
        assert_eq!(super::page_nonce(br#"<script nonce="a'b">"#), None, "only nonce characters");
        assert_eq!(
            super::page_nonce(br#"<p>nonce="typed"</p><script nonce="real">"#),
            None,
            "text is no tag"
        );
        assert!(super::page_policy("aB3").contains("'nonce-aB3'"));
    }
}
