//! Maintenance commands.

use crate::config::Config;
use std::path::Path;

/// `server import <dir>`: prints what changed and every file that failed.
pub async fn import(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let db = app::db::connect(&config.database_url).await?;
    let report = app::content::import_dir(&db, dir, &config.public_dir).await?;
    println!(
        "imported {}: {} new, {} updated, {} unchanged, {} failed",
        dir.display(),
        report.created,
        report.updated,
        report.unchanged,
        report.failed.len()
    );
    for failure in &report.failed {
        eprintln!("  {failure}");
    }
    anyhow::ensure!(report.failed.is_empty(), "{} file(s) could not be imported", report.failed.len());
    Ok(())
}
