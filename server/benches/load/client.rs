//! The bench's own HTTP/1.1 client: one keep-alive connection to our server, every request
//! signed like a phone's (the server checks each request's proof of its phone), and the sign-ins
//! that give each simulated phone its session and key. Like a phone's browser, it gzips what it
//! pushes and accepts compressed answers, and it counts the bytes it writes and reads.

use super::Result;
use std::io::{Read, Write};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use xiafang_core::session::LoginResponse;

/// A keep-alive HTTP/1.1 connection: just enough client for JSON requests to our own server.
pub struct Client {
    port: u16,
    stream: BufReader<TcpStream>,
    /// Bytes written to the server (request lines, headers, bodies as sent).
    pub bytes_out: u64,
    /// Bytes read from the server (status lines, headers, bodies as encoded on the wire).
    pub bytes_in: u64,
}

/// What Chromium offers; the server answers brotli or gzip.
const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

impl Client {
    pub async fn connect(port: u16) -> Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            port,
            stream: BufReader::new(stream),
            bytes_out: 0,
            bytes_in: 0,
        })
    }

    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> Result<(u16, Vec<u8>)> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\n",
            self.port
        );
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
            // Signed like a phone's: the server checks every request's proof of its phone.
            if let Some(proof) = super::phone_key::proof_for(t, method, path) {
                head.push_str(&format!(
                    "{}: {proof}\r\n",
                    xiafang_core::session::PROOF_HEADER
                ));
            }
        }
        // The phone gzips a push's body (`CompressionStream`, src/api.rs); sign-ins go plain.
        let body = match body {
            Some(b) if path == "/api/sync/push" => {
                head.push_str("Content-Encoding: gzip\r\n");
                gzip(b)?
            }
            other => other.unwrap_or_default().to_vec(),
        };
        if method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&body);
        self.stream.get_mut().write_all(&out).await?;
        self.bytes_out += out.len() as u64;

        let mut line = String::new();
        self.bytes_in += self.stream.read_line(&mut line).await? as u64;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .ok_or("no status line")?
            .parse()?;
        let (mut length, mut chunked, mut encoding) = (None, false, String::new());
        loop {
            line.clear();
            let n = self.stream.read_line(&mut line).await?;
            if n == 0 {
                return Err("connection closed in headers".into());
            }
            self.bytes_in += n as u64;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>()?);
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            } else if let Some(v) = lower.strip_prefix("content-encoding:") {
                encoding = v.trim().to_owned();
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.bytes_in += self.stream.read_line(&mut line).await? as u64;
                let size = usize::from_str_radix(line.trim(), 16)?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                self.bytes_in += chunk.len() as u64;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.stream.read_exact(&mut body).await?;
            self.bytes_in += n as u64;
        }
        Ok((status, decoded(&encoding, body)?))
    }
}

fn gzip(body: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(body)?;
    Ok(enc.finish()?)
}

fn decoded(encoding: &str, body: Vec<u8>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    match encoding {
        "" | "identity" => return Ok(body),
        "gzip" => {
            flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out)?;
        }
        "br" => {
            brotli::Decompressor::new(&body[..], 4096).read_to_end(&mut out)?;
        }
        other => return Err(format!("unexpected Content-Encoding {other}").into()),
    }
    Ok(out)
}

/// One session per phone of `own_world`, signed in as its own account.
pub async fn sign_in_phones(port: u16, n: usize) -> Result<Vec<String>> {
    let mut tokens = Vec::new();
    let mut c = Client::connect(port).await?;
    for d in 0..n {
        let body = serde_json::json!({"username": format!("phone{d}"), "password": "xiafang2026"});
        tokens.push(keyed_sign_in(&mut c, body).await?);
    }
    Ok(tokens)
}

pub async fn sign_in(port: u16, n: usize) -> Result<Vec<String>> {
    let mut tokens = Vec::new();
    let mut c = Client::connect(port).await?;
    for _ in 0..n {
        let body = serde_json::json!({"username": "wangjg", "password": "xiafang2026"});
        tokens.push(keyed_sign_in(&mut c, body).await?);
    }
    Ok(tokens)
}

/// A sign-in with a new phone key, remembered with the token so requests are signed by it.
async fn keyed_sign_in(c: &mut Client, mut body: serde_json::Value) -> Result<String> {
    let remember = super::phone_key::remember_sign_in(&mut body);
    let (status, resp) = c
        .request(
            "POST",
            "/api/login",
            None,
            Some(&serde_json::to_vec(&body)?),
        )
        .await?;
    if status != 200 {
        return Err(format!("sign-in of {} answered {status}", body["username"]).into());
    }
    let answer: serde_json::Value = serde_json::from_slice(&resp)?;
    remember(&answer);
    let resp: LoginResponse = serde_json::from_value(answer)?;
    Ok(resp.token)
}
