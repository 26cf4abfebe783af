//! Who is asking: the client's address, for per-address limits and for who may read
//! `/metrics`.
//!
//! It is the TCP peer's, unless `AISLE_TRUSTED_PROXIES` says how many reverse proxies
//! stand in front: then it is the address the outermost of them wrote into
//! `X-Forwarded-For`. Without that setting the header is ignored, as anyone can send it.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the peer's, or with `trusted_proxies` > 0 the entry that many
/// places from the right of `X-Forwarded-For` (each proxy appends the address it was
/// reached from, so entries further left are whatever the client chose to send).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted_proxies: usize) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return peer.map(|p| p.ip());
    }
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if chain.len() < trusted_proxies {
        // Not through every proxy we were told of: count it against whoever handed it
        // to us.
        return peer.map(|p| p.ip());
    }
    let entry = chain[chain.len() - trusted_proxies];
    parse_forwarded(entry).or(peer.map(|p| p.ip()))
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, or with a port.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// One IPv4 address, or one IPv6 /64: a single household or server is usually given a
/// whole /64, so counting its addresses one by one would count nothing.
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_trusted_proxies() {
        let peer: SocketAddr = "10.0.0.2:5555".parse().unwrap();
        let spoofed = xff(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(client_ip(&spoofed, Some(peer), 0), Some(peer.ip()), "ignored unless configured");
        assert_eq!(client_ip(&spoofed, Some(peer), 1), Some("203.0.113.7".parse().unwrap()), "the proxy's own entry");
        assert_eq!(client_ip(&spoofed, Some(peer), 2), Some("1.1.1.1".parse().unwrap()));
        assert_eq!(client_ip(&spoofed, Some(peer), 3), Some(peer.ip()), "shorter than the proxy chain");
        assert_eq!(client_ip(&xff(&["1.1.1.1", "[2001:db8::1]:443"]), Some(peer), 1), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(client_ip(&xff(&["not an address"]), Some(peer), 1), Some(peer.ip()));
        assert_eq!(client_ip(&HeaderMap::new(), None, 0), None);
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(limit_key("2001:db8:1:2:aaaa::1".parse().unwrap()), limit_key("2001:db8:1:2:bbbb::9".parse().unwrap()));
        assert_ne!(limit_key("2001:db8:1:2::1".parse().unwrap()), limit_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(limit_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

}
