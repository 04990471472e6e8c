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

pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from)
}

/// Only same-site paths are followed after a login (no open redirects).
pub fn safe_next_or<'a>(next: &'a str, fallback: &'a str) -> &'a str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { fallback }
}

#[cfg(test)]
mod tests {
    use super::safe_next_or;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next_or("/customers?q=a", "/x"), "/customers?q=a");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", ""] {
            assert_eq!(safe_next_or(bad, "/x"), "/x");
        }
    }
}
