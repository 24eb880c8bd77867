//! Who the client is, for rate limits and stream caps: the TCP peer, or —
//! when the peer is a proxy we trust — the right-most address in
//! `X-Forwarded-For` that is not one of our proxies. Anything further left was
//! written by the client and proves nothing. IPv6 clients are counted per /64,
//! the block one subscriber usually holds.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address as a rate-limit key (`203.0.113.9`, `2001:db8:1:2::/64`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub String);

impl ClientAddr {
    /// The address the HTTP layer resolved for a request (`unknown` outside it).
    pub fn of(parts: &http::request::Parts) -> Self {
        parts.extensions.get::<Self>().cloned().unwrap_or_else(|| Self("unknown".to_owned()))
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

/// The proxies whose `X-Forwarded-For` we believe (`TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated CIDRs or single addresses; empty means none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is not an address or a CIDR block (like 10.0.0.0/8)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn resolve(&self, peer: IpAddr, headers: &HeaderMap) -> ClientAddr {
        if !self.trusts(peer) {
            return ClientAddr(key(peer));
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        ClientAddr(key(client))
    }
}

/// The rate-limit key of an address: IPv4 as is, IPv6 by its /64.
pub fn key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let got = proxies.resolve("198.51.100.7".parse().unwrap(), &headers(&["203.0.113.1"]));
        assert_eq!(got.0, "198.51.100.7");
        let none = TrustedProxies::default();
        assert_eq!(none.resolve("127.0.0.1".parse().unwrap(), &headers(&["203.0.113.1"])).0, "127.0.0.1");
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client forged the first entry; our two proxies appended the rest.
        let h = headers(&["1.2.3.4, 203.0.113.9", "10.1.1.1"]);
        assert_eq!(proxies.resolve("127.0.0.1".parse().unwrap(), &h).0, "203.0.113.9");
    }

    #[test]
    fn a_trusted_proxy_without_the_header_is_itself_the_client() {
        let proxies = TrustedProxies::parse("127.0.0.1/32").unwrap();
        assert_eq!(proxies.resolve("127.0.0.1".parse().unwrap(), &HeaderMap::new()).0, "127.0.0.1");
    }

    #[test]
    fn ipv6_clients_are_counted_per_slash_64() {
        let proxies = TrustedProxies::parse("::1").unwrap();
        let a = proxies.resolve("::1".parse().unwrap(), &headers(&["2001:db8:aa:bb:1::1"]));
        let b = proxies.resolve("::1".parse().unwrap(), &headers(&["2001:db8:aa:bb:ffff::2"]));
        let c = proxies.resolve("::1".parse().unwrap(), &headers(&["2001:db8:aa:bc::1"]));
        assert_eq!(a, b);
        assert_eq!(a.0, "2001:db8:aa:bb::/64");
        assert_ne!(a, c);
        assert_eq!(key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

    #[test]
    fn a_bad_entry_in_the_list_is_refused_with_its_name() {
        let err = TrustedProxies::parse("10.0.0.0/8, nonsense").unwrap_err();
        assert!(err.contains("nonsense"), "{err}");
    }
}
