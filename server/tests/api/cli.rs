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

#[test]
fn sigterm_stops_the_server_even_with_live_streams_open() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("s.db").display()))
        // Port 0: the server binds a free port and says which; nothing can take it in between.
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LOG_FORMAT", "text")
        .env("CONTENT_DIR", root.join("content"))
        .env("PUBLIC_DIR", root.join("public"))
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Never leave a server behind: killed when the test ends, whatever happened.
    struct KillOnDrop(u32);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ =
                Command::new("kill").args(["-KILL", &self.0.to_string()]).stderr(std::process::Stdio::null()).status();
        }
    }
    let _guard = KillOnDrop(child.id());
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 && !line.contains("Spotlight is serving") {
        line.clear();
    }
    // Colour codes may surround the fields: drop every ESC [ … m sequence first.
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    let addr = plain.split("addr=").nth(1).and_then(|a| a.split_whitespace().next()).expect("the address it serves on");
    let port: u16 = addr.trim_matches('"').rsplit(':').next().unwrap().parse().unwrap();
    let slug = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .next()
        .unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(
        &mut stream,
        format!("GET /api/v1/articles/{slug}/live HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let started = std::time::Instant::now();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit, got {status}");
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "still running 10 s after SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
