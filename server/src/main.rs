use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
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
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Database maintenance.
    #[command(subcommand)]
    Db(DbCommand),
    /// Mail kept in the outbox (when SMTP_URL is unset).
    #[command(subcommand)]
    Mail(MailCommand),
}

#[derive(Subcommand)]
enum MailCommand {
    /// The newest mails: id, date, recipient, subject.
    List {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// One mail in full, links included.
    Show { id: i64 },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copy a whole site into a new, empty database (e.g. from SQLite to PostgreSQL).
    Copy {
        /// The site's database now, e.g. sqlite://data/spotlight.db
        #[arg(long)]
        from: String,
        /// An empty database, e.g. postgres://spotlight@db.internal/spotlight (migrated first)
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from stdin or prompted for, never from argv.
    Create {
        username: String,
        #[arg(long, default_value = "reader")]
        role: String,
        /// Defaults to <username>@users.invalid.
        #[arg(long)]
        email: Option<String>,
    },
    /// Give an account another role: reader, moderator or admin.
    SetRole { username: String, role: String },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::from_env()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => Application::build(config).await?.run_until_stopped().await?,
        Command::Import { dir } => cli::import(&config, &dir).await?,
        Command::User(UserCommand::Create { username, role, email }) => {
            cli::create_user(&config, &username, &role, email.as_deref()).await?
        }
        Command::User(UserCommand::SetRole { username, role }) => cli::set_role(&config, &username, &role).await?,
        Command::Db(DbCommand::Copy { from, to }) => cli::copy_db(&from, &to).await?,
        Command::Mail(MailCommand::List { limit }) => cli::mail_list(&config, limit).await?,
        Command::Mail(MailCommand::Show { id }) => cli::mail_show(&config, id).await?,
    }
    Ok(())
}
