//! Configuration from environment variables, each with a default.
//!
//! | variable | default |
//! |---|---|
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` |
//! | `DATABASE_URL` | `sqlite://data/spotlight.db` |
//! | `SITE_URL` | `http://{LEPTOS_SITE_ADDR}` |
//! | `CONTENT_DIR` | `content` (imported at start when it exists; empty = off) |
//! | `PUBLIC_DIR` | `public` (where article images are checked at import) |
//! | `LEPTOS_SITE_ROOT` | `target/site` (static files and the client bundle) |
//! | `TRUSTED_PROXIES` | none (comma-separated CIDRs whose `X-Forwarded-For` is believed) |
//! | `PAGE_CACHE_BYTES` | `67108864` (64 MiB of cached pages for anonymous readers) |
//! | `LIVE_STREAMS_PER_ADDRESS` | `16` open live streams per client address |
//! | `LIVE_STREAMS_MAX` | `100000` open live streams in all |
//! | `HEADER_READ_TIMEOUT_SECS` | `10` (a client slower to send its request headers is cut off) |

use leptos::config::LeptosOptions;
use std::{net::SocketAddr, path::PathBuf};

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    /// `None`: derived from the bound address (tests bind port 0).
    pub site_url: Option<String>,
    pub content_dir: Option<PathBuf>,
    pub public_dir: PathBuf,
    pub leptos: LeptosOptions,
    pub limits: app::throttle::Limits,
    pub http: HttpSettings,
}

/// The HTTP layer's own settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub trusted_proxies: app::client_addr::TrustedProxies,
    pub page_cache_bytes: u64,
    pub streams_per_address: usize,
    pub streams_total: usize,
    pub header_read_timeout: std::time::Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            trusted_proxies: Default::default(),
            page_cache_bytes: 64 * 1024 * 1024,
            streams_per_address: 16,
            streams_total: 100_000,
            header_read_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// A number from the environment: the default when unset, an error naming
/// the variable when set to something that is not a number.
fn number<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => {
            v.trim().parse().map_err(|_| anyhow::anyhow!("{name} must be a whole number, got {v:?}"))
        }
        _ => Ok(default),
    }
}

impl HttpSettings {
    fn from_env() -> anyhow::Result<Self> {
        let d = Self::default();
        Ok(Self {
            trusted_proxies: app::client_addr::TrustedProxies::parse(
                &std::env::var("TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|e| anyhow::anyhow!("TRUSTED_PROXIES: {e}"))?,
            page_cache_bytes: number("PAGE_CACHE_BYTES", d.page_cache_bytes)?,
            streams_per_address: number("LIVE_STREAMS_PER_ADDRESS", d.streams_per_address)?,
            streams_total: number("LIVE_STREAMS_MAX", d.streams_total)?,
            header_read_timeout: std::time::Duration::from_secs(number(
                "HEADER_READ_TIMEOUT_SECS",
                d.header_read_timeout.as_secs(),
            )?),
        })
    }
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let addr: SocketAddr = var("LEPTOS_SITE_ADDR", "127.0.0.1:3000")
            .parse()
            .map_err(|e| anyhow::anyhow!("LEPTOS_SITE_ADDR is not host:port: {e}"))?;
        let site_url = std::env::var("SITE_URL").ok().filter(|v| !v.is_empty());
        if let Some(url) = &site_url {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "SITE_URL must start with http:// or https://, got {url:?}"
            );
        }
        let content = var("CONTENT_DIR", "content");
        let site_root = var("LEPTOS_SITE_ROOT", "target/site");
        let output_name = var("LEPTOS_OUTPUT_NAME", "spotlight");
        let env = var("LEPTOS_ENV", "PROD");
        // cargo-leptos writes the hash file next to the binary when hash-files is on.
        let hash_file_present = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join("hash.txt").exists()))
            .unwrap_or(false);
        let hash_files = var("LEPTOS_HASH_FILES", if hash_file_present { "true" } else { "false" }) == "true";
        let leptos = LeptosOptions::builder()
            .output_name(output_name)
            .site_root(site_root)
            .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
            .site_addr(addr)
            .reload_port(var("LEPTOS_RELOAD_PORT", "3001").parse::<u32>().unwrap_or(3001))
            .env(if env.eq_ignore_ascii_case("dev") { leptos::config::Env::DEV } else { leptos::config::Env::PROD })
            .hash_files(hash_files)
            .build();
        Ok(Self {
            addr,
            database_url: var("DATABASE_URL", "sqlite://data/spotlight.db"),
            site_url,
            content_dir: (!content.is_empty()).then(|| PathBuf::from(content)),
            public_dir: PathBuf::from(var("PUBLIC_DIR", "public")),
            leptos,
            limits: limits_from_env(),
            http: HttpSettings::from_env()?,
        })
    }
}

/// `LIMIT_SIGNUPS_PER_HOUR`, `LIMIT_COMMENTS_PER_MINUTE`, `LIMIT_REACTIONS_PER_MINUTE`
/// override the defaults (browser tests sign up many readers from one address).
fn limits_from_env() -> app::throttle::Limits {
    let mut limits = app::throttle::Limits::default();
    let read = |name: &str, default: i64| var(name, &default.to_string()).parse().unwrap_or(default);
    limits.signups_per_ip.max = read("LIMIT_SIGNUPS_PER_HOUR", limits.signups_per_ip.max);
    limits.comments_per_user.max = read("LIMIT_COMMENTS_PER_MINUTE", limits.comments_per_user.max);
    limits.reactions_per_ip.max = read("LIMIT_REACTIONS_PER_MINUTE", limits.reactions_per_ip.max);
    limits
}
