//! A real SMTP server on loopback, for the tests that send mail: it speaks
//! just enough SMTP for a client (lettre) to deliver, and keeps every message.

use std::sync::{Arc, Mutex};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

#[derive(Clone, Default)]
pub struct SmtpSink {
    messages: Arc<Mutex<Vec<String>>>,
    arrived: Arc<tokio::sync::Notify>,
}

impl SmtpSink {
    /// Listens on a free loopback port; returns the sink and its `smtp://` URL.
    pub async fn start() -> (Self, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let sink = Self::default();
        let keep = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(keep.clone().session(socket));
            }
        });
        (sink, url)
    }

    async fn session(self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    let _ = write.write_all(b"354 go on\r\n").await;
                    let mut message = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        message.push_str(line.strip_prefix('.').unwrap_or(&line));
                        message.push('\n');
                    }
                    self.messages.lock().unwrap().push(message);
                    self.arrived.notify_waiters();
                    b"250 kept\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"502 not here\r\n",
            };
            let _ = write.write_all(reply).await;
        }
    }

    /// The first `n` messages, waiting up to ten seconds for them.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let arrived = self.arrived.notified();
            {
                let messages = self.messages.lock().unwrap();
                if messages.len() >= n {
                    return messages.clone();
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "{n} mail(s) did not arrive in 10 s");
            let _ = tokio::time::timeout(std::time::Duration::from_millis(200), arrived).await;
        }
    }
}
