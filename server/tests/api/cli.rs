use std::{io::Write, process::Command};

fn server(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("server binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_create_reads_the_password_from_stdin_and_set_role_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let out = server(&db, &["user", "create", "chief_editor", "--role", "admin"], "a-long-admin-passphrase\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("as admin"));
    let out = server(&db, &["user", "set-role", "chief_editor", "moderator"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("now moderator"));
    let refused = server(&db, &["user", "create", "weakling"], "1234567890\n");
    assert!(!refused.status.success(), "a common password is refused here too");
    let unknown = server(&db, &["user", "set-role", "chief_editor", "emperor"], "");
    assert!(!unknown.status.success());
}

#[test]
fn import_reports_malformed_files_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("import.db").display());
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("broken.md"), "+++\nslug = \"broken\"\n+++\nbody\n").unwrap();
    let out = server(&db, &["import", content.to_str().unwrap()], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.md") && err.contains("headline"), "{err}");
}
