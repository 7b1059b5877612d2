//! The server's log: human lines by default, JSON lines when asked (`--log-format json` or
//! `XIAFANG_LOG_FORMAT=json`) for a log collector. One line per request (`http::ops::observe`)
//! with its method, route template, status and latency; never a body, a token, a raw path (file
//! ids are personal data) or a name.

use std::str::FromStr;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(other.to_owned()),
        }
    }
}

/// Installs the global subscriber writing to standard output. `RUST_LOG` filters as usual.
pub fn init(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "xiafang_server=info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .init(),
    }
}

/// A line for the operator at start-up: printed as it is for a person, or as a JSON log line so
/// that every line of a JSON log parses.
pub fn say(format: LogFormat, line: &str) {
    match format {
        LogFormat::Text => println!("{line}"),
        LogFormat::Json => tracing::info!(target: "xiafang_server", "{line}"),
    }
}
