//! The client's address as throttling, the IP area and the Log record it. Behind a reverse
//! proxy every request comes from the proxy; the proxy names the client in `X-Forwarded-For`.
//! That header is believed only from a configured trusted proxy, and read from the right: each
//! proxy appends the address it saw, so the rightmost address that is not one of our own proxies
//! is the client as our proxies saw it; anything left of it the client may have written itself.
use super::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// The client of a request (see the module comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The client behind `peer`, given the `X-Forwarded-For` values of the request.
pub fn client_of<'a>(
    peer: IpAddr,
    forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // Several headers count as one list, in order.
    for value in forwarded_for.rev() {
        for hop in value.rsplit(',') {
            let Some(ip) = parse_hop(hop.trim()) else { return client };
            client = ip;
            if !is_trusted(&ip) {
                return ip;
            }
        }
    }
    client
}

/// An address as proxies write it: `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]:443`, `192.0.2.1:80`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The `X-Forwarded-For` values, each read whole even with stray bytes in it (a client's own
/// garbage before the address our proxy appended must not hide that address).
fn forwarded_for(headers: &axum::http::HeaderMap) -> Vec<String> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(addr)| addr.ip());
        let values = forwarded_for(&parts.headers);
        Ok(ClientIp(client_of(peer, values.iter().map(String::as_str), &state.config.trusted_proxies)))
    }
}

/// The client of the current server-function request (its request parts are in the context).
pub fn current() -> Option<ClientIp> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    let state = leptos::prelude::use_context::<AppState>()?;
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    let values = forwarded_for(&parts.headers);
    Some(ClientIp(client_of(peer, values.iter().map(String::as_str), &state.config.trusted_proxies)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::config::parse_proxies;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_client_counts_only_from_a_trusted_proxy() {
        let trusted = parse_proxies("127.0.0.1, 10.0.0.0/8").unwrap();
        // No proxy configured, or a peer that is not one: the header is the client's own words.
        assert_eq!(client_of(ip("203.0.113.7"), ["198.51.100.1"].into_iter(), &[]), ip("203.0.113.7"));
        assert_eq!(client_of(ip("203.0.113.7"), ["198.51.100.1"].into_iter(), &trusted), ip("203.0.113.7"));
        // From the proxy: the address it appended.
        assert_eq!(client_of(ip("127.0.0.1"), ["198.51.100.1"].into_iter(), &trusted), ip("198.51.100.1"));
        // A client that sends its own header cannot choose its address: the proxy appends the
        // real one, the rightmost untrusted hop.
        let spoofed = ["1.2.3.4, 198.51.100.1"];
        assert_eq!(client_of(ip("127.0.0.1"), spoofed.into_iter(), &trusted), ip("198.51.100.1"));
        // Through two of our proxies; split over two headers; with ports and IPv6.
        assert_eq!(
            client_of(ip("127.0.0.1"), ["198.51.100.1, 10.1.2.3"].into_iter(), &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_of(ip("127.0.0.1"), ["9.9.9.9", "198.51.100.1"].into_iter(), &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_of(ip("127.0.0.1"), ["[2001:db8::5]:443"].into_iter(), &trusted),
            ip("2001:db8::5")
        );
        // Garbage: the last address we could trust.
        assert_eq!(client_of(ip("127.0.0.1"), ["nonsense"].into_iter(), &trusted), ip("127.0.0.1"));
        assert_eq!(client_of(ip("127.0.0.1"), std::iter::empty(), &trusted), ip("127.0.0.1"));
        assert!(parse_proxies("10.0.0.0/33").is_err());
    }
}
