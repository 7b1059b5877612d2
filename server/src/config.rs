//! Command-line configuration; every option can also come from an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use xiafang_core::cipher::CipherKind;
use xiafang_core::figures::FigureRules;
use xiafang_core::roots::SignatureAlgorithm;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Holds the SQLite database (`xiafang.db`) unless `database_url` names another database.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://user:password@host/db`; the SQLite file in `data_dir` if unset.
    /// Read from the environment rather than the command line in production, so the password
    /// does not show in the process list.
    pub database_url: Option<String>,
    /// The built PWA (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Load the demo accounts and files into an empty database.
    pub demo: bool,
    /// Load this world (same JSON shape as `server/demo/demo.json`) instead of the built-in demo,
    /// e.g. the benchmark's 2,000 files; only into an empty database, like the demo.
    pub demo_file: Option<PathBuf>,
    /// The cipher phones seal their data with (`aes-256-gcm`, or `sm4-gcm` for GB/T 39786).
    pub device_cipher: CipherKind,
    /// What signs the daily chain statements (`--chain-signature ed25519|sm2`,
    /// `XIAFANG_CHAIN_SIGNATURE`); Ed25519 by default. Statements signed before a switch stay
    /// verifiable: each names its algorithm and public key.
    pub chain_signature: SignatureAlgorithm,
    /// A JSON file with the county's own definitions of the figures and time limits
    /// (`core::figures::FigureRules`); the national defaults when absent.
    pub rules: Option<PathBuf>,
    /// Human lines or JSON lines (`--log-format json`, `XIAFANG_LOG_FORMAT`).
    pub log_format: crate::logs::LogFormat,
    /// The token `/metrics` asks for, from `XIAFANG_METRICS_TOKEN` or the file named by
    /// `XIAFANG_METRICS_TOKEN_FILE` (systemd's `LoadCredential`); never from the command line,
    /// which every user of the machine can read with `ps`. Without one, `/metrics` is 404.
    pub metrics_token: Option<crate::metrics::MetricsToken>,
    /// How long requests under way may finish after SIGTERM (`--shutdown-grace SECONDS`,
    /// `XIAFANG_SHUTDOWN_GRACE`); `shutdown::GRACE` by default.
    pub shutdown_grace: std::time::Duration,
    /// Sign with this instance's key although the deployment's latest statement was signed by
    /// another (`--replace-chain-key`): the operator replacing a key on purpose. Without it a
    /// server whose key differs refuses to start (`Db::check_chain_key`).
    pub replace_chain_key: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "unknown option {0} (options: --addr, --data-dir, --database-url, --dist, --no-demo, --demo-file, --device-cipher, --chain-signature, --rules, --log-format, --shutdown-grace, --replace-chain-key)"
    )]
    Unknown(String),
    #[error("option {0} needs a value")]
    MissingValue(String),
    #[error("--addr: {0} is not an address like 127.0.0.1:8080")]
    BadAddr(String),
    #[error("--device-cipher: {0} is not aes-256-gcm or sm4-gcm")]
    BadCipher(String),
    #[error("--chain-signature: {0} is not ed25519 or sm2")]
    BadSignature(String),
    #[error("--log-format: {0} is not text or json")]
    BadLogFormat(String),
    #[error("--shutdown-grace: {0} is not a number of seconds")]
    BadGrace(String),
    #[error("metrics token: {0}")]
    BadMetricsToken(String),
    #[error("--rules: cannot read {path}: {why}")]
    BadRules { path: String, why: String },
}

impl Config {
    /// The file of the key that signs the chain statements (`chain_key`), for the chosen
    /// algorithm: `XIAFANG_CHAIN_KEY_FILE`, else its default file in the data directory. Kept
    /// out of the database on purpose.
    pub fn chain_key_path(&self) -> PathBuf {
        std::env::var_os("XIAFANG_CHAIN_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.default_key_path(self.chain_signature))
    }

    /// Where a key of `algorithm` is kept unless `XIAFANG_CHAIN_KEY_FILE` says otherwise: one
    /// file per algorithm, so switching never overwrites the key older statements name.
    pub fn default_key_path(&self, algorithm: SignatureAlgorithm) -> PathBuf {
        self.data_dir.join(match algorithm {
            SignatureAlgorithm::Ed25519 => "chain-signing.key",
            SignatureAlgorithm::Sm2 => "chain-signing-sm2.key",
        })
    }

    /// Every chain key file of this deployment that exists: the chosen one and the defaults of
    /// both algorithms (a deployment that switched keeps the other).
    pub fn chain_key_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.chain_key_path()];
        for algorithm in [SignatureAlgorithm::Ed25519, SignatureAlgorithm::Sm2] {
            let path = self.default_key_path(algorithm);
            if !files.contains(&path) {
                files.push(path);
            }
        }
        files.retain(|p| p.exists());
        files
    }

    /// The database to open: the configured URL, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| crate::db::sqlite_url(&self.data_dir.join("xiafang.db")))
    }

    /// The deployment's figure and time-limit rules: the `--rules` file, or the defaults. A file
    /// that cannot be read or parsed stops the server rather than silently using the defaults.
    pub fn figure_rules(&self) -> Result<FigureRules, ConfigError> {
        let Some(path) = &self.rules else {
            return Ok(FigureRules::default());
        };
        let bad = |why: String| ConfigError::BadRules {
            path: path.display().to_string(),
            why,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
    }

    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, ConfigError> {
        let env = |k: &str| std::env::var(k).ok();
        let mut addr = env("XIAFANG_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let mut data_dir = env("XIAFANG_DATA_DIR").unwrap_or_else(|| "data".into());
        let mut database_url = env("XIAFANG_DATABASE_URL");
        let mut dist = env("XIAFANG_DIST").unwrap_or_else(|| "dist".into());
        let mut demo = env("XIAFANG_NO_DEMO").is_none();
        let mut replace_chain_key = false;
        let mut demo_file = env("XIAFANG_DEMO_FILE");
        let mut cipher = env("XIAFANG_DEVICE_CIPHER");
        let mut signature = env("XIAFANG_CHAIN_SIGNATURE");
        let mut rules = env("XIAFANG_RULES");
        let mut log_format = env("XIAFANG_LOG_FORMAT");
        let mut grace = env("XIAFANG_SHUTDOWN_GRACE");
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| ConfigError::MissingValue(arg.clone()))
            };
            match arg.as_str() {
                "--addr" => addr = value()?,
                "--data-dir" => data_dir = value()?,
                "--database-url" => database_url = Some(value()?),
                "--dist" => dist = value()?,
                "--no-demo" => demo = false,
                "--replace-chain-key" => replace_chain_key = true,
                "--demo-file" => demo_file = Some(value()?),
                "--device-cipher" => cipher = Some(value()?),
                "--chain-signature" => signature = Some(value()?),
                "--rules" => rules = Some(value()?),
                "--log-format" => log_format = Some(value()?),
                "--shutdown-grace" => grace = Some(value()?),
                _ => return Err(ConfigError::Unknown(arg)),
            }
        }
        Ok(Config {
            addr: addr.parse().map_err(|_| ConfigError::BadAddr(addr))?,
            data_dir: data_dir.into(),
            database_url,
            dist: dist.into(),
            demo,
            demo_file: demo_file.map(PathBuf::from),
            device_cipher: match cipher {
                None => CipherKind::default(),
                Some(key) => CipherKind::from_key(&key).ok_or(ConfigError::BadCipher(key))?,
            },
            chain_signature: match signature {
                None => SignatureAlgorithm::default(),
                Some(key) => {
                    SignatureAlgorithm::from_key(&key).ok_or(ConfigError::BadSignature(key))?
                }
            },
            rules: rules.map(PathBuf::from),
            log_format: match log_format {
                None => Default::default(),
                Some(f) => f.parse().map_err(ConfigError::BadLogFormat)?,
            },
            shutdown_grace: match grace {
                None => crate::shutdown::GRACE,
                Some(s) => {
                    std::time::Duration::from_secs(s.parse().map_err(|_| ConfigError::BadGrace(s))?)
                }
            },
            metrics_token: metrics_token(
                env("XIAFANG_METRICS_TOKEN"),
                env("XIAFANG_METRICS_TOKEN_FILE"),
            )?,
            replace_chain_key,
        })
    }
}

/// The metrics token from the variable or, failing that, the file; a token shorter than 16
/// characters is refused rather than guessed.
fn metrics_token(
    value: Option<String>,
    file: Option<String>,
) -> Result<Option<crate::metrics::MetricsToken>, ConfigError> {
    let secret = match (value, file) {
        (Some(value), _) => value,
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::BadMetricsToken(format!("cannot read {path}: {e}")))?,
        (None, None) => return Ok(None),
    };
    let secret = secret.trim();
    if secret.chars().count() < 16 {
        return Err(ConfigError::BadMetricsToken(
            "shorter than 16 characters".into(),
        ));
    }
    Ok(Some(crate::metrics::MetricsToken::new(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        Config::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn the_phone_cipher_is_a_deployment_choice() {
        if std::env::var("XIAFANG_DEVICE_CIPHER").is_err() {
            assert_eq!(parse(&[]).unwrap().device_cipher, CipherKind::Aes256Gcm);
        }
        let national = parse(&["--device-cipher", "sm4-gcm"]).unwrap();
        assert_eq!(national.device_cipher, CipherKind::Sm4Gcm);
        assert!(matches!(
            parse(&["--device-cipher", "des"]),
            Err(ConfigError::BadCipher(k)) if k == "des"
        ));
    }

    #[test]
    fn the_chain_signature_is_a_deployment_choice_with_a_key_file_per_algorithm() {
        if std::env::var("XIAFANG_CHAIN_SIGNATURE").is_err() {
            assert_eq!(
                parse(&[]).unwrap().chain_signature,
                SignatureAlgorithm::Ed25519
            );
        }
        let national = parse(&["--chain-signature", "SM2", "--data-dir", "d"]).unwrap();
        assert_eq!(national.chain_signature, SignatureAlgorithm::Sm2);
        assert_ne!(
            national.default_key_path(SignatureAlgorithm::Sm2),
            national.default_key_path(SignatureAlgorithm::Ed25519)
        );
        assert!(matches!(
            parse(&["--chain-signature", "rsa"]),
            Err(ConfigError::BadSignature(k)) if k == "rsa"
        ));
    }

    #[test]
    fn a_county_defines_its_own_rules_in_a_file_and_a_bad_file_stops_the_server() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.json");
        std::fs::write(
            &path,
            r#"{"satisfied": ["satisfied"], "case": {"due_soon_days": 7}}"#,
        )
        .unwrap();
        let config = parse(&["--rules", path.to_str().unwrap()]).unwrap();
        let rules = config.figure_rules().unwrap();
        assert_eq!(
            rules.satisfied.len(),
            1,
            "only 满意 counts as satisfied here"
        );
        assert_eq!(rules.case.due_soon_days, 7);
        assert_eq!(
            rules.case.no_visit_days,
            FigureRules::default().case.no_visit_days
        );

        std::fs::write(&path, "{ not json").unwrap();
        assert!(matches!(
            config.figure_rules(),
            Err(ConfigError::BadRules { .. })
        ));
        let missing = parse(&["--rules", "/nonexistent/rules.json"]).unwrap();
        assert!(matches!(
            missing.figure_rules(),
            Err(ConfigError::BadRules { .. })
        ));
    }

    #[test]
    fn the_metrics_token_comes_from_the_environment_or_a_file_and_is_long_enough() {
        assert!(metrics_token(None, None).unwrap().is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics-token");
        std::fs::write(&path, "from-a-credential-file\n").unwrap();
        let file = Some(path.display().to_string());
        let token = metrics_token(None, file.clone()).unwrap().unwrap();
        assert!(token.admits("from-a-credential-file"), "trimmed");
        let token = metrics_token(Some("from-the-environment".into()), file).unwrap();
        assert!(token.unwrap().admits("from-the-environment"));
        assert!(matches!(
            metrics_token(Some("short".into()), None),
            Err(ConfigError::BadMetricsToken(_))
        ));
        let missing = Some(dir.path().join("none").display().to_string());
        assert!(metrics_token(None, missing).is_err());
    }

    #[test]
    fn log_format_and_grace_are_options() {
        let config = parse(&["--log-format", "json", "--shutdown-grace", "5"]).unwrap();
        assert_eq!(config.log_format, crate::logs::LogFormat::Json);
        assert_eq!(config.shutdown_grace, std::time::Duration::from_secs(5));
        assert!(matches!(
            parse(&["--log-format", "xml"]),
            Err(ConfigError::BadLogFormat(_))
        ));
        assert!(matches!(
            parse(&["--shutdown-grace", "soon"]),
            Err(ConfigError::BadGrace(_))
        ));
    }
}
