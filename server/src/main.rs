use clap::{Parser, Subcommand};
use server::{cli, config::Config, startup::Application, telemetry};

/// Spotlight: the web server and its maintenance commands.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve,
    /// Import Markdown articles from a folder into the database.
    Import { dir: std::path::PathBuf },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::from_env()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => Application::build(config).await?.run_until_stopped().await?,
        Command::Import { dir } => cli::import(&config, &dir).await?,
    }
    Ok(())
}
