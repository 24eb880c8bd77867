//! Maintenance commands.

use crate::config::Config;
use app::auth::Role;
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

async fn state(config: &Config) -> anyhow::Result<app::state::AppState> {
    let db = app::db::connect(&config.database_url).await?;
    let site = app::state::Site::new(config.site_url.as_deref().unwrap_or("http://127.0.0.1:3000"));
    Ok(app::state::AppState::new(db, site, config.limits.clone(), config.mail.mailer()?, config.leptos.clone()).await?)
}

fn role(name: &str) -> anyhow::Result<Role> {
    Role::parse(name).ok_or_else(|| anyhow::anyhow!("unknown role {name:?}: use reader, moderator or admin"))
}

/// The password from a prompt on a terminal, else the first line of stdin.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(first == again, "the passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// `server user create <name> --role admin`.
pub async fn create_user(config: &Config, username: &str, role_name: &str, email: Option<&str>) -> anyhow::Result<()> {
    let role = role(role_name)?;
    let password = read_password()?;
    let state = state(config).await?;
    let email = email.map(str::to_owned).unwrap_or_else(|| format!("{}@users.invalid", username.to_lowercase()));
    let id = app::auth::service::create_user(&state, username, &email, &password, role)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created {username} (id {id}) as {}", role.as_str());
    Ok(())
}

/// `server user set-role <name> <role>`.
pub async fn set_role(config: &Config, username: &str, role_name: &str) -> anyhow::Result<()> {
    let role = role(role_name)?;
    let state = state(config).await?;
    app::auth::service::set_role(&state, username, role).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{username} is now {}", role.as_str());
    Ok(())
}

/// `server db copy --from … --to …`: the whole site, checked table by table.
pub async fn copy_db(from: &str, to: &str) -> anyhow::Result<()> {
    anyhow::ensure!(from != to, "--from and --to name the same database");
    let source = app::db::connect(from).await?;
    let target = app::db::connect(to).await?;
    let report = app::db::copy::copy(&source, &target).await?;
    for (table, rows) in &report {
        println!("{table:>16}  {rows} row(s)");
    }
    println!("copied {} tables; the row counts match", report.len());
    Ok(())
}

/// `server mail list`: the outbox, newest first (mail kept when `SMTP_URL` is unset).
pub async fn mail_list(config: &Config, limit: i64) -> anyhow::Result<()> {
    let state = state(config).await?;
    let mails = app::mail::service::list(&state, limit).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if mails.is_empty() {
        println!("the outbox is empty");
    }
    for m in mails {
        let when = app::articles::service::stamp(m.created_at).iso;
        println!("{:>6}  {when}  {:<32}  {}", m.id, m.recipient, m.subject);
    }
    Ok(())
}

/// `server mail show ID`: one mail as it would have been sent.
pub async fn mail_show(config: &Config, id: i64) -> anyhow::Result<()> {
    let state = state(config).await?;
    let m = app::mail::service::show(&state, id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("To: {}\nSubject: {}", m.recipient, m.subject);
    let headers: Vec<(String, String)> = serde_json::from_str(&m.headers).unwrap_or_default();
    for (name, value) in headers {
        println!("{name}: {value}");
    }
    println!("Date: {}\n\n{}", app::articles::service::stamp(m.created_at).iso, m.body_text);
    Ok(())
}
