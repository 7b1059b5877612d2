//! A minimal HTTP/1.1 client over a raw TCP stream: one request per connection
//! (`Connection: close`), the response read to the end. Anything short of a whole, well-formed
//! response within the time limit is an error — to a phone that is simply "no answer".

#[allow(clippy::duplicate_mod)]
#[path = "phone_key.rs"]
mod phone_key;

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The bytes of a request as our client sends it: with a token, also the proof signed by the
/// key its sign-in (through `send`) sent.
pub fn request(
    method: &str,
    host: SocketAddr,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        if let Some(proof) = phone_key::proof_for(token, method, path) {
            head.push_str(&format!(
                "{}: {proof}\r\n",
                xiafang_core::session::PROOF_HEADER
            ));
        }
    }
    if body.is_some() {
        head.push_str("Content-Type: application/json\r\n");
    }
    let body = body.unwrap_or_default();
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Sends one request and reads the whole response, within `limit`. A sign-in gets a phone key
/// (as a phone's would), remembered with the token it answers.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
    limit: Duration,
) -> Result<Response, String> {
    let mut login = None;
    let keyed;
    let mut body = body;
    if path == "/api/login"
        && let Some(mut json) = body.and_then(|b| serde_json::from_slice(b).ok())
    {
        login = Some(phone_key::remember_sign_in(&mut json));
        keyed = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
        body = Some(&keyed);
    }
    let response = send_as_is(addr, method, path, token, body, limit).await?;
    if let (Some(remember), true) = (login, response.status == 200) {
        remember(&serde_json::from_slice(&response.body).unwrap_or_default());
    }
    Ok(response)
}

async fn send_as_is(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
    limit: Duration,
) -> Result<Response, String> {
    let raw = request(method, addr, path, token, body);
    let exchange = async {
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream
            .write_all(&raw)
            .await
            .map_err(|e| format!("send: {e}"))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .await
            .map_err(|e| format!("receive: {e}"))?;
        parse_response(&answer)
    };
    tokio::time::timeout(limit, exchange)
        .await
        .map_err(|_| format!("no answer within {limit:?}"))?
}

pub fn header_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

/// Status and body of a complete response; a truncated or malformed one is an error.
pub fn parse_response(raw: &[u8]) -> Result<Response, String> {
    if raw.is_empty() {
        return Err("connection closed without a response".into());
    }
    let end = header_end(raw).ok_or("response cut inside its headers")?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|e| format!("header bytes: {e}"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header {line:?}"))?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|e| format!("content-length: {e}"))?,
                )
            }
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let rest = &raw[end..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(length) = length {
        if rest.len() < length {
            return Err(format!("body cut at {} of {length} bytes", rest.len()));
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response { status, body })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunked body cut in a size line")?;
        let line = std::str::from_utf8(&rest[..line_end]).map_err(|e| e.to_string())?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|e| format!("chunk size: {e}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err("chunked body cut inside a chunk".into());
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}
