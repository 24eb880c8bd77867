//! Configuration from environment variables, each with a default, read by
//! clap (its `env` support): a value that does not parse stops the start with
//! a message naming the variable, and an empty value means empty (so
//! `CONTENT_DIR=` switches the import off), never "use the default".
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
//! | `LIMIT_SIGNUPS_PER_HOUR`, `LIMIT_COMMENTS_PER_MINUTE`, `LIMIT_REACTIONS_PER_MINUTE` | 5, 5, 30 |
//! | `SMTP_URL` | none: mail is kept in the outbox (`server mail list`) |
//! | `MAIL_FROM` | `Spotlight <no-reply@localhost>` |

use app::client_addr::TrustedProxies;
use clap::Parser;
use leptos::config::LeptosOptions;
use std::{net::SocketAddr, path::PathBuf, time::Duration};

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
    pub mail: MailSettings,
}

/// Where mail goes: an SMTP server, or (none set) the outbox table.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp_url: Option<String>,
    pub from: String,
}

impl MailSettings {
    pub fn mailer(&self) -> anyhow::Result<app::mail::Mailer> {
        Ok(app::mail::Mailer::new(self.smtp_url.as_deref(), &self.from)?)
    }
}

/// The HTTP layer's own settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub trusted_proxies: TrustedProxies,
    pub page_cache_bytes: u64,
    pub streams_per_address: usize,
    pub streams_total: usize,
    pub header_read_timeout: Duration,
}

/// The environment, as clap reads it. Only the environment: there are no flags.
#[derive(Parser, Debug)]
#[command(no_binary_name = true, disable_help_flag = true)]
struct Env {
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", hide = true)]
    site_addr: SocketAddr,
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/spotlight.db", hide = true)]
    database_url: String,
    #[arg(long, env = "SITE_URL", value_parser = site_url, hide = true)]
    site_url: Option<String>,
    #[arg(long, env = "CONTENT_DIR", default_value = "content", hide = true)]
    content_dir: String,
    #[arg(long, env = "PUBLIC_DIR", default_value = "public", hide = true)]
    public_dir: PathBuf,
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", hide = true)]
    site_root: String,
    #[arg(long, env = "LEPTOS_OUTPUT_NAME", default_value = "spotlight", hide = true)]
    output_name: String,
    #[arg(long, env = "LEPTOS_SITE_PKG_DIR", default_value = "pkg", hide = true)]
    site_pkg_dir: String,
    #[arg(long, env = "LEPTOS_ENV", default_value = "PROD", hide = true)]
    leptos_env: String,
    #[arg(long, env = "LEPTOS_RELOAD_PORT", default_value_t = 3001, hide = true)]
    reload_port: u32,
    #[arg(long, env = "LEPTOS_HASH_FILES", hide = true)]
    hash_files: Option<bool>,
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse, hide = true)]
    trusted_proxies: TrustedProxies,
    #[arg(long, env = "PAGE_CACHE_BYTES", default_value_t = 64 * 1024 * 1024, hide = true)]
    page_cache_bytes: u64,
    #[arg(long, env = "LIVE_STREAMS_PER_ADDRESS", default_value_t = 16, hide = true)]
    live_streams_per_address: usize,
    #[arg(long, env = "LIVE_STREAMS_MAX", default_value_t = 100_000, hide = true)]
    live_streams_max: usize,
    #[arg(long, env = "HEADER_READ_TIMEOUT_SECS", default_value_t = 10, hide = true)]
    header_read_timeout_secs: u64,
    #[arg(long, env = "LIMIT_SIGNUPS_PER_HOUR", hide = true)]
    limit_signups_per_hour: Option<i64>,
    #[arg(long, env = "LIMIT_COMMENTS_PER_MINUTE", hide = true)]
    limit_comments_per_minute: Option<i64>,
    #[arg(long, env = "LIMIT_REACTIONS_PER_MINUTE", hide = true)]
    limit_reactions_per_minute: Option<i64>,
    #[arg(long, env = "SMTP_URL", hide = true)]
    smtp_url: Option<String>,
    #[arg(long, env = "MAIL_FROM", default_value = "Spotlight <no-reply@localhost>", hide = true)]
    mail_from: String,
}

fn site_url(url: &str) -> Result<String, String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.trim_end_matches('/').to_owned())
    } else {
        Err(format!("{url:?} must start with http:// or https://"))
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        // clap names the variable and the bad value in its message.
        let env = Env::try_parse_from(std::iter::empty::<String>()).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Self::from(env))
    }
}

impl From<Env> for Config {
    fn from(env: Env) -> Self {
        // cargo-leptos writes the hash file next to the binary when hash-files is on.
        let hash_file_present = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join("hash.txt").exists()))
            .unwrap_or(false);
        let leptos = LeptosOptions::builder()
            .output_name(env.output_name)
            .site_root(env.site_root)
            .site_pkg_dir(env.site_pkg_dir)
            .site_addr(env.site_addr)
            .reload_port(env.reload_port)
            .env(if env.leptos_env.eq_ignore_ascii_case("dev") {
                leptos::config::Env::DEV
            } else {
                leptos::config::Env::PROD
            })
            .hash_files(env.hash_files.unwrap_or(hash_file_present))
            .build();
        let mut limits = app::throttle::Limits::default();
        if let Some(max) = env.limit_signups_per_hour {
            limits.signups_per_ip.max = max;
        }
        if let Some(max) = env.limit_comments_per_minute {
            limits.comments_per_user.max = max;
        }
        if let Some(max) = env.limit_reactions_per_minute {
            limits.reactions_per_ip.max = max;
        }
        Self {
            addr: env.site_addr,
            database_url: env.database_url,
            site_url: env.site_url,
            content_dir: (!env.content_dir.is_empty()).then(|| PathBuf::from(env.content_dir)),
            public_dir: env.public_dir,
            leptos,
            limits,
            http: HttpSettings {
                trusted_proxies: env.trusted_proxies,
                page_cache_bytes: env.page_cache_bytes,
                streams_per_address: env.live_streams_per_address,
                streams_total: env.live_streams_max,
                header_read_timeout: Duration::from_secs(env.header_read_timeout_secs),
            },
            mail: MailSettings { smtp_url: env.smtp_url.filter(|u| !u.is_empty()), from: env.mail_from },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration for these variables, as flags: no process-wide `set_var`
    /// racing other tests.
    fn parse(vars: &[(&str, &str)]) -> Result<Config, String> {
        let cmd = <Env as clap::CommandFactory>::command();
        let args: Vec<String> = vars
            .iter()
            .map(|(name, value)| {
                let arg =
                    cmd.get_arguments().find(|a| a.get_env().is_some_and(|e| e == *name)).expect("a known variable");
                format!("--{}={value}", arg.get_long().expect("a long flag"))
            })
            .collect();
        Env::try_parse_from(args).map(Config::from).map_err(|e| e.to_string())
    }

    #[test]
    fn an_empty_content_dir_switches_the_import_off() {
        assert_eq!(parse(&[("CONTENT_DIR", "")]).unwrap().content_dir, None);
        assert_eq!(parse(&[]).unwrap().content_dir, Some(PathBuf::from("content")));
    }

    #[test]
    fn a_bad_value_stops_the_start_with_its_name() {
        let err = parse(&[("PAGE_CACHE_BYTES", "lots")]).unwrap_err();
        assert!(err.contains("lots"), "{err}");
        assert!(parse(&[("SITE_URL", "spotlight.example")]).unwrap_err().contains("http"));
        assert!(parse(&[("TRUSTED_PROXIES", "10.0.0.0/8, nonsense")]).unwrap_err().contains("nonsense"));
        assert!(parse(&[("LEPTOS_SITE_ADDR", "")]).is_err(), "an empty address is not the default one");
    }

    #[test]
    fn limits_and_http_settings_come_from_their_variables() {
        let c = parse(&[("LIMIT_COMMENTS_PER_MINUTE", "50"), ("LIVE_STREAMS_PER_ADDRESS", "4")]).unwrap();
        assert_eq!(c.limits.comments_per_user.max, 50);
        assert_eq!(c.http.streams_per_address, 4);
        assert_eq!(c.http.header_read_timeout, Duration::from_secs(10));
    }
}
