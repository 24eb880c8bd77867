//! The inline scripts of a rendered page, by hash: what lets the page cache
//! send one page, byte for byte, to every reader under a strict policy.
//!
//! A page rendered for one response allows its inline scripts by that
//! response's nonce. Sending the same bytes (and the same nonce) to everyone
//! would make the nonce public; rewriting it in every response means the page
//! cannot be compressed once. So a kept page is allowed by the SHA-256 of each
//! of its inline scripts instead: the same header and bytes for every reader,
//! and still nothing inline runs that the render did not write.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use sha2::{Digest, Sha256};

/// The base64 SHA-256 of every inline script in `html` that carries `nonce`,
/// the render's own nonce, which no text from a reader can know. `None` when
/// the page holds a script tag that does not carry it, or one left open: such a
/// page is not kept, rather than kept with a policy that would block a script.
pub fn inline_script_hashes(html: &[u8], nonce: &str) -> Option<Vec<String>> {
    let marker = format!("nonce=\"{nonce}\"");
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(at) = find(rest, b"<script") {
        rest = &rest[at + b"<script".len()..];
        let open_end = find(rest, b">")?;
        let tag = &rest[..open_end];
        let body = &rest[open_end + 1..];
        let close = find(body, b"</script>")?;
        if find(tag, b"src=").is_none() {
            find(tag, marker.as_bytes())?;
            hashes.push(STANDARD.encode(Sha256::digest(&body[..close])));
        }
        rest = &body[close + b"</script>".len()..];
    }
    Some(hashes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inline_script_with_the_render_nonce_is_hashed_and_sources_are_skipped() {
        let html = br#"<head><script nonce="n1">go()</script><script src="/pkg/a.js"></script></head>
            <body><script type="application/json" nonce="n1">{"a":1}</script></body>"#;
        let hashes = inline_script_hashes(html, "n1").unwrap();
        assert_eq!(hashes.len(), 2);
        assert_eq!(hashes[0], STANDARD.encode(Sha256::digest(b"go()")));
        assert_eq!(hashes[1], STANDARD.encode(Sha256::digest(br#"{"a":1}"#)));
    }

    #[test]
    fn a_page_with_a_script_the_render_did_not_sign_is_not_hashed() {
        assert_eq!(inline_script_hashes(br#"<script nonce="n1">a()</script><script>b()</script>"#, "n1"), None);
        assert_eq!(inline_script_hashes(br#"<script nonce="guess">b()</script>"#, "n1"), None);
        assert_eq!(inline_script_hashes(br#"<script nonce="n1">never closed"#, "n1"), None);
        assert_eq!(inline_script_hashes(b"<p>no scripts</p>", "n1"), Some(vec![]));
    }
}
