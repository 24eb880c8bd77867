use tracing_subscriber::{fmt, EnvFilter};

/// Structured logs to stdout; `RUST_LOG` filters, `LOG_FORMAT=json` for machines.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}
